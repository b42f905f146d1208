using System.Text.Json;
using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Operator.Yaml;
using YamlDotNet.RepresentationModel;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>The files in crds/ as YAML; the API server's own checks come with the envtest suite.</summary>
public sealed class CrdTests
{
    public static TheoryData<string, string, string> Kinds => new()
    {
        { "AgentTier", "agenttiers", "at" },
        { "CollectorTier", "collectortiers", "ct" },
        { "StoreTier", "storetiers", "st" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Crd_File_DefinesTheKindWithStatusPrinterColumnsAndShortName(string kind, string plural, string shortName)
    {
        var crd = Load(plural);

        Assert.Equal("apiextensions.k8s.io/v1", (string?)crd["apiVersion"]);
        Assert.Equal("CustomResourceDefinition", (string?)crd["kind"]);
        Assert.Equal($"{plural}.flumek8s.io", (string?)crd["metadata"]!["name"]);
        var spec = crd["spec"]!;
        Assert.Equal("flumek8s.io", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal(kind, (string?)spec["names"]!["kind"]);
        Assert.Equal([shortName], spec["names"]!["shortNames"]!.AsArray().Select(n => (string)n!));
        var version = spec["versions"]!.AsArray().Single()!;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.True((bool)version["served"]! && (bool)version["storage"]!);
        Assert.NotNull(version["subresources"]!["status"]);
        var columns = version["additionalPrinterColumns"]!.AsArray().Select(c => (string)c!["name"]!).ToList();
        Assert.Contains("Desired", columns);
        Assert.Contains("Ready", columns);
        Assert.Contains("Age", columns);
        var schema = version["schema"]!["openAPIV3Schema"]!;
        Assert.Equal(["flow"], schema["properties"]!["spec"]!["required"]!.AsArray().Select(r => (string)r!));
        var status = schema["properties"]!["status"]!["properties"]!;
        foreach (var field in new[] { "conditions", "observedGeneration", "replicas", "readyReplicas", "selector", "configHash" })
        {
            Assert.NotNull(status[field]);
        }
        Assert.NotNull(status["conditions"]!["items"]!["properties"]!["observedGeneration"]);
    }

    [Theory]
    [InlineData("collectortiers", true)]
    [InlineData("storetiers", true)]
    [InlineData("agenttiers", false)]
    public void Crd_ScaleSubresource_OnCollectorAndStoreTiersOnly(string plural, bool scalable)
    {
        var scale = Load(plural)["spec"]!["versions"]![0]!["subresources"]!["scale"];

        if (!scalable)
        {
            Assert.Null(scale);
            return;
        }
        Assert.Equal(".spec.replicas", (string?)scale!["specReplicasPath"]);
        Assert.Equal(".status.replicas", (string?)scale["statusReplicasPath"]);
        Assert.Equal(".status.selector", (string?)scale["labelSelectorPath"]);
    }

    [Fact]
    public void Crd_Schemas_PreserveNoUnknownFieldsAndEveryObjectIsTyped()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "crds"), "*.yaml"))
        {
            Walk(Load(Path.GetFileName(file).Split('.')[0])["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject(), file);
        }

        static void Walk(JsonObject schema, string where)
        {
            // Structural: every node says its type (int-or-string excepted); oneOf alternatives only constrain.
            Assert.True(schema["type"] is not null || schema["x-kubernetes-int-or-string"] is not null, $"untyped schema node in {where}: {schema.ToJsonString()[..Math.Min(120, schema.ToJsonString().Length)]}");
            // Only the core/v1 objects passed through to the pod as written keep unknown fields.
            Assert.True(schema["x-kubernetes-preserve-unknown-fields"] is null || PassThrough.Any(p => JsonNode.DeepEquals(schema, PodField(p))),
                $"unknown fields preserved in {where}: {schema.ToJsonString()[..Math.Min(120, schema.ToJsonString().Length)]}");
            foreach (var (_, child) in schema["properties"]?.AsObject() ?? [])
            {
                Walk(child!.AsObject(), where);
            }
            if (schema["items"] is JsonObject items)
            {
                Walk(items, where);
            }
            if (schema["additionalProperties"] is JsonObject values)
            {
                Walk(values, where);
            }
        }
    }

    [Fact]
    public void Crd_PodAndFlowFields_SameInAllThreeKinds()
    {
        var specs = Plurals.Select(p => SpecProperties(p)).ToList();

        foreach (var field in PodFields.Append("flow"))
        {
            Assert.NotNull(specs[0][field]);
            Assert.All(specs.Skip(1), s => Assert.True(JsonNode.DeepEquals(specs[0][field], s[field]), $"spec.{field} differs between the CRDs"));
        }
        Assert.Equal(["DaemonSet", "Deployment"], specs[0]["mode"]!["enum"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("CollectorTier", (string?)specs[0]["forwardTo"]!["properties"]!["kind"]!["default"]);
        Assert.Equal("StoreTier", (string?)specs[1]["forwardTo"]!["properties"]!["kind"]!["default"]);
        Assert.Null(specs[2]["forwardTo"]);
        Assert.Equal("string", (string?)specs[0]["flow"]!["properties"]!["properties"]!["type"]);
    }

    [Theory]
    [InlineData("agenttiers", "mode", "replicas", "forwardTo", "storage")]
    [InlineData("collectortiers", "replicas", "forwardTo", "hopSource", "storage", "drainStallSeconds", "drainOnDelete")]
    [InlineData("storetiers", "replicas", "hopSource", "storage", "drainStallSeconds", "drainOnDelete")]
    public void Crd_SpecFields_AreThePodRecordsTheFlowAndTheKindsOwn(string plural, params string[] own)
    {
        // The shared fragment and TierPodSpec name the same fields: neither can gain one alone.
        Assert.Equal(PodFields.Append("flow").Concat(own).Order(StringComparer.Ordinal),
            SpecProperties(plural).Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Crd_EveryProperty_HasADescription()
    {
        var missing = new List<string>();
        foreach (var plural in Plurals)
        {
            Describe(Load(plural)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject(), plural);
        }
        Assert.Empty(missing);

        void Describe(JsonObject schema, string path)
        {
            foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
            {
                if (!path.Contains('.', StringComparison.Ordinal) && name == "metadata")
                {
                    continue; // The API server allows only name and generateName constraints there, no descriptions.
                }
                if (child!["description"] is not JsonValue text || string.IsNullOrWhiteSpace((string?)text))
                {
                    missing.Add($"{path}.{name}");
                }
                Describe(child.AsObject(), $"{path}.{name}");
            }
            if (schema["items"] is JsonObject items)
            {
                Describe(items, path + "[]");
            }
            if (schema["additionalProperties"] is JsonObject values)
            {
                Describe(values, path + "{}");
            }
        }
    }

    [Fact]
    public void Crd_Files_AreOneDocumentEachForAnIndependentParser()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "crds"), "*.yaml"))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            Assert.Single(stream.Documents);
        }
    }

    private static readonly string[] Plurals = ["agenttiers", "collectortiers", "storetiers"];

    private static readonly string[] PassThrough = ["affinity", "podSecurityContext", "securityContext", "topologySpreadConstraints[]"];

    // The fields of the shared record, as the JSON reader names them.
    private static IEnumerable<string> PodFields => typeof(TierPodSpec).GetProperties()
        .Where(p => p.Name != "EqualityContract")
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static JsonObject SpecProperties(string plural) =>
        Load(plural)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!.AsObject();

    private static JsonNode PodField(string field) =>
        field.EndsWith("[]", StringComparison.Ordinal) ? SpecProperties("agenttiers")[field[..^2]]!["items"]! : SpecProperties("agenttiers")[field]!;

    private static JsonObject Load(string plural) =>
        YamlJson.Read(File.ReadAllText(Path.Combine(RepositoryRoot, "crds", $"{plural}.flumek8s.io.yaml"))).Single().Root!.AsObject();
}
