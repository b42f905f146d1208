using FlumeK8s.Operator.Certificates;

namespace FlumeK8s.Operator.Reconcile.Certificates;

/// <summary>
/// How a tier's certificates stand after a reconcile: the entries of <c>status.certificates</c>, the
/// <c>Certificates</c> condition (null for a tier without TLS), the Secret the operator issued for it
/// (kept from pruning), and when to look again (the next renewal or warning).
/// </summary>
internal sealed record CertificateReport(
    IReadOnlyList<CertificateStatus> Certificates,
    TierCondition? Condition,
    string? IssuedSecret,
    DateTimeOffset? NextCheck)
{
    public const string ConditionType = "Certificates";

    public static readonly CertificateReport None = new([], null, null, null);
}
