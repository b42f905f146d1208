namespace FlumeK8s.Operator.Certificates;

/// <summary>
/// How long the operator's certificates live and when they are replaced. A tier's certificate is
/// renewed <see cref="RenewBefore"/> its expiry; the namespace's CA likewise, in two steps: the new
/// CA is trusted everywhere first, and signs only once every tier's Secret has carried it for
/// <see cref="TrustPropagation"/> (the time kubelet may take to update a mounted Secret: its sync
/// period plus its Secret cache, a minute each by default).
/// </summary>
internal sealed record CertificatePolicy(
    TimeSpan Validity,
    TimeSpan RenewBefore,
    TimeSpan CaValidity,
    TimeSpan CaRenewBefore,
    TimeSpan TrustPropagation)
{
    public static CertificatePolicy Default { get; } = new(
        TimeSpan.FromDays(90), TimeSpan.FromDays(30), TimeSpan.FromDays(5 * 365), TimeSpan.FromDays(365), TimeSpan.FromMinutes(3));

    /// <summary>Issued certificates start this far in the past, so a node whose clock lags a little accepts them.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>What is wrong with these durations (each renewal window must fit inside its validity), or null.</summary>
    public string? Problem() =>
        Validity <= TimeSpan.Zero || CaValidity <= TimeSpan.Zero ? "certificate validities must be positive"
        : RenewBefore <= TimeSpan.Zero || RenewBefore >= Validity ? "--renew-before must be positive and shorter than --certificate-validity"
        : CaRenewBefore <= TimeSpan.Zero || CaRenewBefore >= CaValidity ? "--ca-renew-before must be positive and shorter than --ca-validity"
        // Certificates end no later than their CA: with a shorter CA window, those issued near its
        // end would be due for renewal as soon as they are issued, until the successor signs.
        : CaRenewBefore <= RenewBefore ? "--ca-renew-before must be longer than --renew-before"
        : null;

    /// <summary>When a tier certificate ending at <paramref name="notAfter"/> is due for renewal.</summary>
    public DateTimeOffset RenewalTime(DateTimeOffset notAfter) => notAfter - RenewBefore;

    public DateTimeOffset CaRenewalTime(DateTimeOffset notAfter) => notAfter - CaRenewBefore;
}
