using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>The workload of each kind of tier.</summary>
internal static class Workloads
{
    /// <summary>The one place the workload kind decides the object.</summary>
    public static JsonObject Build(ITier tier, RenderOptions options) => tier.Spec.Workload switch
    {
        TierWorkload.DaemonSet => DaemonSet((AgentTier)tier, options),
        TierWorkload.Deployment => Deployment(tier, options),
        _ => StatefulSet(tier, ((IClaimTierSpec)tier.Spec).Storage, options),
    };

    /// <summary>One agent per node; its state (file channels, taildir positions) in a node directory of the tier's own.</summary>
    private static JsonObject DaemonSet(AgentTier tier, RenderOptions options)
    {
        var hostPath = tier.Spec.Storage?.HostPath ?? $"{AgentLayout.StateDirectory}/{tier.Metadata.Namespace}/{tier.Metadata.Name}";
        var result = ObjectMetadata.Header("apps/v1", "DaemonSet", ObjectMetadata.For(tier, TierNames.Workload(tier.Metadata.Name)));
        result["spec"] = Object(
            ("selector", Selector(tier)),
            ("updateStrategy", Object(("type", "RollingUpdate"), ("rollingUpdate", Object(("maxUnavailable", 1))))),
            ("template", PodTemplate.Build(tier, options, ("hostPath", Object(("path", hostPath), ("type", "DirectoryOrCreate"))))));
        return result;
    }

    /// <summary>A Deployment of agents; replicas share no disk, so file channels live in an emptyDir
    /// (they survive a container restart, not the pod's deletion).</summary>
    private static JsonObject Deployment(ITier tier, RenderOptions options)
    {
        var result = ObjectMetadata.Header("apps/v1", "Deployment", ObjectMetadata.For(tier, TierNames.Workload(tier.Metadata.Name)));
        result["spec"] = Object(
            ("replicas", tier.Spec.Replicas),
            ("selector", Selector(tier)),
            ("strategy", Object(("type", "RollingUpdate"), ("rollingUpdate", Object(("maxUnavailable", 1), ("maxSurge", 1))))),
            ("template", PodTemplate.Build(tier, options, ("emptyDir", new JsonObject()))));
        return result;
    }

    /// <summary>
    /// Collectors and stores: a claim per pod for file channels, always created (even for a memory-only
    /// flow) because volumeClaimTemplates cannot change later and a flow may gain a file channel.
    /// Pods start and stop in parallel: the operator drains leaving pods itself before scaling down.
    /// </summary>
    private static JsonObject StatefulSet(ITier tier, ClaimStorage? storage, RenderOptions options)
    {
        storage ??= new ClaimStorage();
        var result = ObjectMetadata.Header("apps/v1", "StatefulSet", ObjectMetadata.For(tier, TierNames.Workload(tier.Metadata.Name)));
        result["spec"] = Object(
            ("replicas", tier.Spec.Replicas),
            ("serviceName", TierNames.HeadlessService(tier.Metadata.Name)),
            ("podManagementPolicy", "Parallel"),
            ("selector", Selector(tier)),
            ("updateStrategy", Object(("type", "RollingUpdate"))),
            ("template", PodTemplate.Build(tier, options, stateVolume: null)),
            ("volumeClaimTemplates", new JsonArray(Object(
                ("metadata", Object(("name", PodTemplate.StateVolume), ("labels", Map(TierNames.Selector(tier))))),
                ("spec", Object(
                    ("accessModes", Strings("ReadWriteOnce")),
                    ("storageClassName", storage.StorageClassName),
                    ("resources", Object(("requests", Object(("storage", storage.Size)))))))))));
        return result;
    }

    public static JsonObject Selector(ITier tier) => Object(("matchLabels", Map(TierNames.Selector(tier))));
}
