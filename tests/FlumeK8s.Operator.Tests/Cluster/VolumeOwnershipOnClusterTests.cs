using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// A claim that ignores fsGroup (this node's host-path claims are root:root 0750, as NFS exports
/// are): the agent cannot write its file channel, and the tier says so instead of staying silently
/// unready; <c>storage.chownVolumes</c> fixes it without anything else changing.
/// </summary>
[Collection(MeituanOnClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class VolumeOwnershipOnClusterTests(MeituanOnCluster example)
{
    private const string Namespace = MeituanOnCluster.Namespace;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private SingleNodeCluster Cluster => example.Cluster;

    [Fact]
    public async Task ClaimIgnoringFsGroup_TheTierAndThePodSayWhy_ThenChownVolumesMakesItReady()
    {
        var tier = Path.Combine(SingleNodeCluster.StateDirectory, "denied-tier.yaml");
        await File.WriteAllTextAsync(tier, $"""
            apiVersion: flumek8s.io/v1alpha1
            kind: CollectorTier
            metadata: {"{"}name: denied, namespace: {Namespace}{"}"}
            spec:
              replicas: 1
              storage: {"{"}size: 1Gi{"}"}
              flow:
                channels:
                - {"{"}name: disk, type: file{"}"}
                sinks:
                - {"{"}name: drop, type: "null", channel: disk{"}"}
            """);
        Cluster.MustKubectl("apply", "-f", tier);
        try
        {
            await Eventually.TrueAsync(() => Degraded()?["reason"]?.GetValue<string>() == "PodsNotReady"
                                             && Degraded()!["message"]!.GetValue<string>().Contains("Access to the path", StringComparison.Ordinal),
                "the tier to say its pod cannot write its claim", Timeout);
            Assert.Contains("AgentNotReady", Cluster.MustKubectl("-n", Namespace, "get", "events", "--field-selector", "involvedObject.name=denied-0"));

            Cluster.MustKubectl("-n", Namespace, "patch", "collectortier", "denied", "--type=merge", "-p", """{"spec": {"storage": {"chownVolumes": true}}}""");
            await Eventually.TrueAsync(() => Condition("Ready")?["status"]?.GetValue<string>() == "True", "the tier to be ready with its claim handed over", Timeout);
            Assert.Equal("False", Degraded()?["status"]?.GetValue<string>());
        }
        finally
        {
            Cluster.Kubectl("-n", Namespace, "delete", "collectortier", "denied", "--wait=false");
            Cluster.Kubectl("-n", Namespace, "delete", "pvc", "state-denied-0", "--wait=false");
        }
    }

    private JsonNode? Degraded() => Condition("Degraded");

    private JsonNode? Condition(string type) => example.CollectorTierCondition("denied", type);
}
