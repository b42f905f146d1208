using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>Where the API serves the tier kinds and the kinds of object the operator applies.</summary>
internal static class TierResources
{
    private const string Group = "flumek8s.io";
    private const string Version = "v1alpha1";

    public static readonly ResourceKind AgentTier = new(Group, Version, "AgentTier", "agenttiers");
    public static readonly ResourceKind CollectorTier = new(Group, Version, "CollectorTier", "collectortiers");
    public static readonly ResourceKind StoreTier = new(Group, Version, "StoreTier", "storetiers");

    /// <summary>The apiVersion every tier kind shares.</summary>
    public const string ApiVersion = Group + "/" + Version;

    public static readonly IReadOnlyList<ResourceKind> Tiers = [AgentTier, CollectorTier, StoreTier];

    /// <summary>Workloads whose status feeds their tier's status.</summary>
    public static readonly IReadOnlyList<ResourceKind> Workloads = [ResourceKind.StatefulSet, ResourceKind.Deployment, ResourceKind.DaemonSet];

    private static readonly IReadOnlyList<ResourceKind> Applied =
    [
        ResourceKind.ConfigMap, ResourceKind.Service, ResourceKind.StatefulSet, ResourceKind.Deployment,
        ResourceKind.DaemonSet, ResourceKind.PodDisruptionBudget,
    ];

    /// <summary>Every kind of object a tier may own (watched for changes, pruned when no longer rendered): the rendered ones and its hop certificate's Secret.</summary>
    public static IReadOnlyList<ResourceKind> Owned(bool policyV1) =>
        [.. Applied.Where(k => k != ResourceKind.PodDisruptionBudget), policyV1 ? ResourceKind.PodDisruptionBudget : ResourceKind.PodDisruptionBudgetV1Beta1, ResourceKind.Secret];

    public static ResourceKind Of(TierKind kind) => kind switch
    {
        TierKind.AgentTier => AgentTier,
        TierKind.CollectorTier => CollectorTier,
        _ => StoreTier,
    };

    public static ResourceKind ByKind(string kind) => Tiers.Single(t => t.Kind == kind);

    /// <summary>The resource of a rendered object; PodDisruptionBudgets go to policy/v1beta1 on servers without policy/v1.</summary>
    public static ResourceKind For(JsonObject obj, bool policyV1)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var kind = obj["kind"]!.GetValue<string>();
        var resource = Applied.Single(r => r.Kind == kind && r.ApiVersion == apiVersion);
        if (resource == ResourceKind.PodDisruptionBudget && !policyV1)
        {
            obj["apiVersion"] = ResourceKind.PodDisruptionBudgetV1Beta1.ApiVersion;
            return ResourceKind.PodDisruptionBudgetV1Beta1;
        }
        return resource;
    }
}
