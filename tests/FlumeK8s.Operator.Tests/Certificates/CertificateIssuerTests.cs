using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Operator.Certificates;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Certificates;

public sealed class CertificateIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Issue_CollectorTier_NamesEveryWayASenderDialsItAndServesBothEndsOfAHop()
    {
        var collector = Tier(Collector + "\n  forwardTo: {name: stores}");
        var authority = CertificateIssuer.CreateAuthority("ca", Now, TimeSpan.FromDays(365));

        var issued = CertificateIssuer.Issue(authority, HopCertificateRequest.For(collector, "cluster.local"), Now, TimeSpan.FromDays(90));

        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate);
        var names = HopCertificateCheck.DnsNames(certificate);
        Assert.Contains("collectors-headless.logs.svc.cluster.local", names); // what the grpc sinks dial (dns:///…)
        Assert.Contains("*.collectors-headless.logs.svc", names);
        Assert.Contains("*.collectors-headless.logs.svc.cluster.local", names); // each pod, collectors-N.collectors-headless…
        Assert.Contains("collectors.logs.svc", names);
        Assert.Contains("collectors", names);
        Assert.Equal((true, true), HopCertificateCheck.Usages(certificate));
        var keyUsage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, keyUsage.KeyUsages);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal("ECDsa", certificate.GetECDsaPublicKey()!.SignatureAlgorithm);
        Assert.Equal(Now + TimeSpan.FromDays(90), Pem.NotAfter(certificate));
        Assert.True(HopCertificateCheck.ChainsTo(certificate, authority.Certificate, Now));
        Assert.True(Pem.IsPair(issued.Certificate, issued.Key));
    }

    [Fact]
    public void Issue_AgentTier_AClientCertificateWithoutNames()
    {
        var issued = CertificateIssuer.Issue(CertificateIssuer.CreateAuthority("ca", Now, TimeSpan.FromDays(365)),
            HopCertificateRequest.For(Tier(Agent), "cluster.local"), Now, TimeSpan.FromDays(90));

        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.Empty(HopCertificateCheck.DnsNames(certificate));
        Assert.Equal((false, true), HopCertificateCheck.Usages(certificate));
    }

    [Fact]
    public void Request_ReceivingTierThatForwardsNothing_ServesOnlyUnderTheClusterDomain()
    {
        var request = HopCertificateRequest.For(Tier(Collector), "example.org");

        Assert.Equal((true, false), (request.Server, request.Client));
        Assert.Contains("collectors-headless.logs.svc.example.org", request.DnsNames);
    }

    [Fact]
    public void CreateAuthority_SignsOnlyEndEntityCertificates()
    {
        using var ca = X509Certificate2.CreateFromPem(CertificateIssuer.CreateAuthority("ca", Now, TimeSpan.FromDays(10)).Certificate);

        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
    }

    [Fact]
    public void Issue_AuthorityEndingSooner_CertificateEndsWithIt()
    {
        var authority = CertificateIssuer.CreateAuthority("ca", Now, TimeSpan.FromDays(10));

        var issued = CertificateIssuer.Issue(authority, new HopCertificateRequest("x", ["x"], true, false), Now, TimeSpan.FromDays(90));

        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.Equal(Now + TimeSpan.FromDays(10), Pem.NotAfter(certificate));
    }

    [Fact]
    public void Issue_AnotherAuthority_DoesNotChainToIt()
    {
        var issued = CertificateIssuer.Issue(CertificateIssuer.CreateAuthority("a", Now, TimeSpan.FromDays(10)), new HopCertificateRequest("x", [], false, true), Now, TimeSpan.FromDays(1));
        var other = CertificateIssuer.CreateAuthority("b", Now, TimeSpan.FromDays(10));

        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.False(HopCertificateCheck.ChainsTo(certificate, other.Certificate, Now));
    }
}
