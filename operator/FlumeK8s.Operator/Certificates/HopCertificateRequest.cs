using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Certificates;

/// <summary>
/// What a tier's hop certificate must say: a receiving tier's names as its senders dial them (the
/// headless Service that grpc sinks resolve, every pod behind it, the ClusterIP Service; short,
/// namespaced, .svc and cluster-domain forms), and which ends of a hop it serves.
/// </summary>
internal sealed record HopCertificateRequest(string CommonName, IReadOnlyList<string> DnsNames, bool Server, bool Client)
{
    public static HopCertificateRequest For(ITier tier, string clusterDomain)
    {
        var name = tier.Metadata.Name;
        var ns = tier.Metadata.Namespace ?? TierReader.DefaultNamespace;
        var names = new List<string>();
        if (tier.Spec.ReceivesHops)
        {
            foreach (var service in new[] { TierNames.HeadlessService(name), TierNames.Service(name) }.Distinct(StringComparer.Ordinal))
            {
                names.AddRange([service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.{clusterDomain}"]);
            }
            // Each pod's own name, <pod>.<headless>.<ns>.svc: the wildcard covers every replica, present and future.
            var headless = TierNames.HeadlessService(name);
            names.AddRange([$"*.{headless}.{ns}.svc", $"*.{headless}.{ns}.svc.{clusterDomain}"]);
        }
        return new HopCertificateRequest($"{ns}/{tier.Kind}/{name}", names, tier.Spec.ReceivesHops, tier.Spec.ForwardTo is not null);
    }
}
