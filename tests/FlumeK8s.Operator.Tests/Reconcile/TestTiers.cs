using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>Small collector tiers for operator tests, applied as a user (field manager "test-user") would.</summary>
internal static class TestTiers
{
    public static readonly ResourceKind CollectorTiers = new("flumek8s.io", "v1alpha1", "CollectorTier", "collectortiers");

    /// <summary>A memory channel of <paramref name="capacity"/> and a logger sink: a change of capacity is a change of the rendered configuration.</summary>
    public static Task ApplyCollectorAsync(KubeClient client, string ns, string name, string capacity) =>
        client.ApplyAsync(CollectorTiers, new JsonObject
        {
            ["apiVersion"] = "flumek8s.io/v1alpha1",
            ["kind"] = "CollectorTier",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["flow"] = new JsonObject
                {
                    ["channels"] = new JsonArray(new JsonObject { ["name"] = "c1", ["type"] = "memory", ["properties"] = new JsonObject { ["capacity"] = capacity } }),
                    ["sinks"] = new JsonArray(new JsonObject { ["name"] = "k1", ["type"] = "logger", ["channel"] = "c1" }),
                },
            },
        }, "test-user", default);

    /// <summary>The rendered configuration of a tier, as its ConfigMap holds it now; null before the first reconcile.</summary>
    public static async Task<string?> ConfigOfAsync(KubeClient client, string ns, string tier) =>
        (await client.GetAsync(ResourceKind.ConfigMap, ns, $"{tier}-config", default))?["data"]?.ToJsonString();
}
