using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Operator.Certificates;

namespace FlumeK8s.Operator.Tests.Certificates;

/// <summary>The namespace CA's renewal: a successor trusted everywhere before it signs, the old CA trusted until it expires.</summary>
public sealed class NamespaceAuthorityTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CertificatePolicy Policy = CertificatePolicy.Default; // CA 5 years, renewed one year before
    private static readonly DateTimeOffset RenewalWindow = Created + Policy.CaValidity - Policy.CaRenewBefore;

    [Fact]
    public void Advance_BeforeTheRenewalWindow_Unchanged()
    {
        var authority = NamespaceAuthority.Create("logs", Created, Policy);

        var later = authority.Advance("logs", RenewalWindow - TimeSpan.FromMinutes(1), Policy, _ => true);

        Assert.True(later.SameAs(authority));
        Assert.Equal(RenewalWindow, authority.NextChange(Created, Policy));
    }

    [Fact]
    public void Advance_InTheRenewalWindow_SuccessorTrustedButNotSigning()
    {
        var authority = NamespaceAuthority.Create("logs", Created, Policy);

        var renewing = authority.Advance("logs", RenewalWindow, Policy, _ => true);

        Assert.Equal(authority.Active, renewing.Active);
        Assert.NotNull(renewing.Next);
        Assert.Equal(2, Pem.Bundle(renewing.Bundle).Count);
        Assert.Contains(renewing.Next!.Certificate.Trim(), renewing.Bundle, StringComparison.Ordinal);
        Assert.Equal(RenewalWindow + Policy.TrustPropagation, renewing.NextChange(RenewalWindow, Policy));
    }

    [Fact]
    public void Advance_SuccessorNotYetTrustedByEveryTier_KeepsWaiting()
    {
        var renewing = NamespaceAuthority.Create("logs", Created, Policy).Advance("logs", RenewalWindow, Policy, _ => false);

        var later = renewing.Advance("logs", RenewalWindow + TimeSpan.FromHours(1), Policy, _ => false);

        Assert.True(later.SameAs(renewing));
    }

    [Fact]
    public void Advance_EveryTierTrustsTheSuccessor_ItSignsAndTheOldCaStaysTrustedUntilItExpires()
    {
        var authority = NamespaceAuthority.Create("logs", Created, Policy);
        var renewing = authority.Advance("logs", RenewalWindow, Policy, _ => false);
        string? asked = null;

        var promoted = renewing.Advance("logs", RenewalWindow + TimeSpan.FromMinutes(5), Policy, next => (asked = next) is not null);

        Assert.Equal(renewing.Next!.Certificate, asked);
        Assert.Equal(renewing.Next, promoted.Active);
        Assert.Null(promoted.Next);
        Assert.Equal(authority.Active.Certificate, promoted.Retired);
        var trusted = Pem.Bundle(promoted.Bundle);
        Assert.Equal(2, trusted.Count);
        // A certificate the old CA signed still verifies against the bundle.
        var oldLeaf = CertificateIssuer.Issue(authority.Active, new HopCertificateRequest("x", ["x"], true, true), RenewalWindow, TimeSpan.FromDays(90));
        using var leaf = X509Certificate2.CreateFromPem(oldLeaf.Certificate);
        Assert.Contains(trusted.Cast<X509Certificate2>(), ca => HopCertificateCheck.ChainsTo(leaf, ca.ExportCertificatePem(), RenewalWindow + TimeSpan.FromDays(1)));
        Assert.Equal(authority.NotAfter, promoted.NextChange(RenewalWindow + TimeSpan.FromDays(1), Policy));

        var afterOldExpiry = promoted.Advance("logs", authority.NotAfter, Policy, _ => true);

        Assert.Null(afterOldExpiry.Retired);
        Assert.Single(Pem.Bundle(afterOldExpiry.Bundle));
    }

    [Fact]
    public void Read_WhatToDataWrote_TheSameAuthority()
    {
        var renewing = NamespaceAuthority.Create("logs", Created, Policy).Advance("logs", RenewalWindow, Policy, _ => false);

        var read = NamespaceAuthority.Read(renewing.ToData());

        Assert.NotNull(read);
        Assert.True(read.SameAs(renewing));
    }

    [Fact]
    public void Read_DamagedKey_NoAuthority()
    {
        var data = new Dictionary<string, string>(NamespaceAuthority.Create("logs", Created, Policy).ToData())
        {
            [NamespaceAuthority.ActiveKey] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        };

        Assert.Null(NamespaceAuthority.Read(data));
    }

    [Fact]
    public void Problem_RenewalWindowLongerThanTheValidity_Named()
    {
        Assert.Contains("--renew-before", (Policy with { RenewBefore = Policy.Validity }).Problem(), StringComparison.Ordinal);
        Assert.Equal("--ca-renew-before must be longer than --renew-before",
            (Policy with { CaValidity = TimeSpan.FromDays(20), CaRenewBefore = TimeSpan.FromDays(5) }).Problem());
        Assert.Null(Policy.Problem());
    }
}
