using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Cli;

namespace FlumeK8s.Operator.Tests.Certificates;

/// <summary>The operator's certificate lifetime flags.</summary>
public sealed class CertificateFlagsTests
{
    [Fact]
    public void Parse_CertificateFlags_DaysHoursMinutesSeconds()
    {
        var parsed = OperatorArguments.Parse(["--certificate-validity", "6m", "--renew-before", "300s", "--ca-validity", "2d", "--ca-renew-before", "12h"], out var error);

        Assert.Null(error);
        Assert.Equal(new CertificatePolicy(TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(300), TimeSpan.FromDays(2), TimeSpan.FromHours(12),
            CertificatePolicy.Default.TrustPropagation), parsed!.Certificates);
    }

    [Theory]
    [InlineData("--certificate-validity", "90", "--certificate-validity must be a whole number of days, hours, minutes or seconds (90d, 720h, 30m, 45s), not '90'")]
    [InlineData("--renew-before", "0d", "--renew-before must be a whole number of days, hours, minutes or seconds (90d, 720h, 30m, 45s), not '0d'")]
    [InlineData("--renew-before", "90d", "--renew-before must be positive and shorter than --certificate-validity")]
    [InlineData("--ca-renew-before", "1825d", "--ca-renew-before must be positive and shorter than --ca-validity")]
    public void Parse_BadCertificateLifetime_RefusedNamingTheFlag(string flag, string value, string message)
    {
        Assert.Null(OperatorArguments.Parse([flag, value], out var error));
        Assert.Equal(message, error);
    }
}
