using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>The Services in front of a collector or store tier, and its PodDisruptionBudget.</summary>
internal static class Services
{
    /// <summary>
    /// The headless Service upstream grpc sinks resolve: its DNS name lists every Ready pod (not the
    /// not-ready ones, so a draining pod stops receiving), and each address is balanced separately.
    /// </summary>
    public static JsonObject Headless(ITier tier)
    {
        var result = ObjectMetadata.Header("v1", "Service", ObjectMetadata.For(tier, TierNames.HeadlessService(tier.Metadata.Name), tier.Spec.Pod.ServiceAnnotations));
        result["spec"] = Object(
            ("clusterIP", "None"),
            ("publishNotReadyAddresses", false),
            ("selector", Map(TierNames.Selector(tier))),
            ("ports", HopPorts()));
        return result;
    }

    /// <summary>One stable virtual IP for senders outside the operator's topology (e.g. a Flume agent over a hop).</summary>
    public static JsonObject ClusterIp(ITier tier)
    {
        var result = ObjectMetadata.Header("v1", "Service", ObjectMetadata.For(tier, TierNames.Service(tier.Metadata.Name), tier.Spec.Pod.ServiceAnnotations));
        result["spec"] = Object(
            ("type", "ClusterIP"),
            ("selector", Map(TierNames.Selector(tier))),
            ("ports", HopPorts()));
        return result;
    }

    public static JsonObject DisruptionBudget(ITier tier)
    {
        var result = ObjectMetadata.Header("policy/v1", "PodDisruptionBudget", ObjectMetadata.For(tier, TierNames.Workload(tier.Metadata.Name)));
        result["spec"] = Object(("maxUnavailable", 1), ("selector", Workloads.Selector(tier)));
        return result;
    }

    private static JsonArray HopPorts() =>
        new(Object(("name", "grpc"), ("port", AgentLayout.HopPort), ("targetPort", "grpc"), ("protocol", "TCP")));
}
