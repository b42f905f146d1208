using FlumeK8s.Operator.Certificates;

namespace FlumeK8s.Operator.Tests.Certificates;

/// <summary>When a tier's stored certificate is kept, has its trust bundle refreshed, or is reissued: decided by the time given.</summary>
public sealed class HopCertificateCheckTests
{
    private static readonly DateTimeOffset Issued = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CertificatePolicy Policy = CertificatePolicy.Default; // 90 days, renewed 30 days before
    private static readonly HopCertificateRequest Request = new("logs/CollectorTier/collectors", ["collectors-headless.logs.svc"], true, true);
    private static readonly NamespaceAuthority Authority = NamespaceAuthority.Create("logs", Issued, Policy);

    private static HopSecretData Stored(HopCertificateRequest? request = null, NamespaceAuthority? authority = null)
    {
        authority ??= Authority;
        var pem = CertificateIssuer.Issue(authority.Active, request ?? Request, Issued, Policy.Validity);
        return new HopSecretData(pem.Certificate, pem.Key, authority.Bundle);
    }

    [Fact]
    public void Decide_FreshCertificate_Kept()
    {
        Assert.Equal(HopSecretAction.Keep, HopCertificateCheck.Decide(Stored(), Request, Authority, Issued + TimeSpan.FromDays(1), Policy).Action);
    }

    [Fact]
    public void Decide_JustBeforeTheRenewalWindow_Kept()
    {
        var justBefore = Issued + TimeSpan.FromDays(60) - TimeSpan.FromSeconds(1);

        Assert.Equal(HopSecretAction.Keep, HopCertificateCheck.Decide(Stored(), Request, Authority, justBefore, Policy).Action);
    }

    [Fact]
    public void Decide_InTheRenewalWindow_Reissued()
    {
        var (action, reason) = HopCertificateCheck.Decide(Stored(), Request, Authority, Issued + TimeSpan.FromDays(60), Policy);

        Assert.Equal(HopSecretAction.Issue, action);
        Assert.Contains("renewal window", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Missing_Issued()
    {
        Assert.Equal(HopSecretAction.Issue, HopCertificateCheck.Decide(null, Request, Authority, Issued, Policy).Action);
    }

    [Fact]
    public void Decide_KeyOfAnotherCertificate_Reissued()
    {
        var stored = Stored() with { Key = Stored().Key };

        Assert.Equal(HopSecretAction.Issue, HopCertificateCheck.Decide(stored, Request, Authority, Issued, Policy).Action);
    }

    [Fact]
    public void Decide_SignedByAnotherCa_Reissued()
    {
        var other = NamespaceAuthority.Create("logs", Issued, Policy);

        Assert.Equal(HopSecretAction.Issue, HopCertificateCheck.Decide(Stored(authority: other), Request, Authority, Issued, Policy).Action);
    }

    [Fact]
    public void Decide_NamesChanged_Reissued()
    {
        var renamed = Request with { DnsNames = ["other-headless.logs.svc"] };

        Assert.Equal(HopSecretAction.Issue, HopCertificateCheck.Decide(Stored(), renamed, Authority, Issued, Policy).Action);
    }

    [Fact]
    public void Decide_TierStartsForwarding_ReissuedWithTheClientUsage()
    {
        var serverOnly = Request with { Client = false };

        Assert.Equal(HopSecretAction.Issue, HopCertificateCheck.Decide(Stored(serverOnly), Request, Authority, Issued, Policy).Action);
    }

    [Fact]
    public void Decide_CaSuccessorAdded_OnlyTheTrustBundleChanges()
    {
        var stored = Stored();
        var withSuccessor = Authority.Advance("logs", Issued + Policy.CaValidity - Policy.CaRenewBefore, Policy, _ => false);
        Assert.NotNull(withSuccessor.Next);

        var (action, _) = HopCertificateCheck.Decide(stored, Request, withSuccessor, Issued + TimeSpan.FromDays(1), Policy);

        Assert.Equal(HopSecretAction.UpdateTrust, action);
    }
}
