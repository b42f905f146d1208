using System.Text.Json.Nodes;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>Tiers written as YAML (as users write them), read through the CRD schemas, and repository paths.</summary>
internal static class Fixtures
{
    public static string RepositoryRoot { get; } = FindRoot();

    public const string Collector = """
        apiVersion: flumek8s.io/v1alpha1
        kind: CollectorTier
        metadata: {name: collectors, namespace: logs, uid: 7d1c1d7e-0000-4000-8000-000000000001}
        spec:
          replicas: 3
          storage: {size: 20Gi, storageClassName: fast}
          flow:
            channels:
            - {name: disk, type: file, properties: {transactionCapacity: "1000"}}
            sinks:
            - {name: out, type: logger, channel: disk}
        """;

    public const string Agent = """
        apiVersion: flumek8s.io/v1alpha1
        kind: AgentTier
        metadata: {name: agents, namespace: logs}
        spec:
          flow:
            sources:
            - {name: r1, type: seq, channels: [c1]}
            channels:
            - {name: c1, type: memory}
          forwardTo: {name: collectors}
        """;

    public static ITier Tier(string yaml, string? ns = null)
    {
        var read = TierReader.Read(yaml, ns);
        Assert.Empty(read.Problems);
        return Assert.Single(read.Tiers);
    }

    public static TierRenderResult Render(string yaml)
    {
        var result = TierRenderer.Render(Tier(yaml), new RenderOptions());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result;
    }

    public static JsonObject Object(TierRenderResult result, string kind, string? name = null) =>
        Assert.Single(result.Objects, o => (string?)o["kind"] == kind && (name is null || (string?)o["metadata"]!["name"] == name));

    public static JsonObject PodSpec(JsonObject workload) => workload["spec"]!["template"]!["spec"]!.AsObject();

    public static JsonObject Container(JsonObject workload) => PodSpec(workload)["containers"]!.AsArray().Single()!.AsObject();

    public static string Config(TierRenderResult result) => (string)Object(result, "ConfigMap")["data"]!["agent.properties"]!;

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FlumeK8s.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("FlumeK8s.sln not found above " + AppContext.BaseDirectory);
    }
}
