using System.Text.Json.Nodes;
using FlumeK8s.Operator.Local;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>spec.tls in the rendered configuration and pods: operator (the default), secret and none.</summary>
public sealed class HopTlsRenderingTests
{
    private const string ForwardingCollector = """
        apiVersion: flumek8s.io/v1alpha1
        kind: CollectorTier
        metadata: {name: collectors, namespace: logs}
        spec:
          flow:
            channels: [{name: disk, type: file}]
          forwardTo: {name: stores}
        """;

    private const string LocalAgent = """
        apiVersion: flumek8s.io/v1alpha1
        kind: AgentTier
        metadata: {name: agents, namespace: logs}
        spec:
          flow:
            sources: [{name: r1, type: seq, channels: [c1]}]
            channels: [{name: c1, type: memory}]
            sinks: [{name: k, type: logger, channel: c1}]
        """;

    private static string WithTls(string yaml, string tls) => yaml + "\n  tls: " + tls;

    [Fact]
    public void Render_DefaultMode_HopSourceRequiresClientCertificatesAndSinksVerifyTheReceiver()
    {
        var result = Render(ForwardingCollector);
        var config = Config(result);

        Assert.Equal(HopTlsMode.Operator, HopTlsLayout.Of(result.Tier).Mode);
        Assert.Contains("agent.sources.hop.ssl = true\n", config);
        Assert.Contains("agent.sources.hop.ssl.certificate = /etc/flumek8s-tls/tls.crt\n", config);
        Assert.Contains("agent.sources.hop.ssl.key = /etc/flumek8s-tls/tls.key\n", config);
        Assert.Contains("agent.sources.hop.ssl.clientAuth = required\n", config);
        Assert.Contains("agent.sources.hop.ssl.clientCA = /etc/flumek8s-tls/ca.crt\n", config);
        Assert.Contains("agent.sinks.forward-disk.ssl = true\n", config);
        Assert.Contains("agent.sinks.forward-disk.truststore = /etc/flumek8s-tls/ca.crt\n", config);
        Assert.Contains("agent.sinks.forward-disk.ssl.certificate = /etc/flumek8s-tls/tls.crt\n", config);
        Assert.Contains("agent.sinks.forward-disk.ssl.key = /etc/flumek8s-tls/tls.key\n", config);
        var statefulSet = Object(result, "StatefulSet");
        Assert.True(JsonNode.DeepEquals(Volume("collectors-hop-tls"), TlsVolume(statefulSet)), TlsVolume(statefulSet)?.ToJsonString());
        Assert.Contains(Container(statefulSet)["volumeMounts"]!.AsArray(), m =>
            (string?)m!["name"] == "hop-tls" && (string?)m["mountPath"] == "/etc/flumek8s-tls" && (bool?)m["readOnly"] == true && m["subPath"] is null);
    }

    [Fact]
    public void Render_SecretMode_MountsTheUsersSecret()
    {
        var result = Render(WithTls(Collector, "{mode: secret, secretName: collectors-cert}"));

        Assert.True(JsonNode.DeepEquals(Volume("collectors-cert"), TlsVolume(Object(result, "StatefulSet"))));
        Assert.Contains("agent.sources.hop.ssl.clientAuth = required\n", Config(result));
    }

    [Fact]
    public void Render_NoneMode_PlainTextAndNoCertificateVolume()
    {
        var result = Render(WithTls(Collector, "{mode: none}"));

        Assert.DoesNotContain(".ssl", Config(result), StringComparison.Ordinal);
        Assert.Null(TlsVolume(Object(result, "StatefulSet")));
    }

    [Fact]
    public void Render_NoneMode_HandWrittenTlsPropertiesAllowed()
    {
        var tier = Tier(WithTls(Collector, "{mode: none}") + "\n  hopSource: {properties: {ssl: \"false\"}}");

        Assert.True(TierRenderer.Render(tier, new RenderOptions()).IsValid);
    }

    [Fact]
    public void Render_OperatorModeWithHandWrittenTlsProperties_RefusedNamingTheKey()
    {
        var tier = Tier(Agent.Replace("forwardTo: {name: collectors}", "forwardTo: {name: collectors, properties: {truststore: /x/ca.pem}}", StringComparison.Ordinal));

        var result = TierRenderer.Render(tier, new RenderOptions());

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.forwardTo.properties.truststore", error.Key);
        Assert.Contains("spec.tls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SecretModeWithoutAName_Refused()
    {
        var result = TierRenderer.Render(Tier(WithTls(Collector, "{mode: secret}")), new RenderOptions());

        Assert.Contains(result.Errors, e => e.Key == "spec.tls.secretName");
    }

    [Fact]
    public void Read_UnknownMode_RefusedByTheSchema()
    {
        var read = TierReader.Read(WithTls(Collector, "{mode: vault}"));

        Assert.Contains(read.Problems, p => p.Contains("spec.tls.mode", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_AgentThatForwardsNothing_NoCertificateVolume()
    {
        var result = Render(LocalAgent);

        Assert.False(HopTlsLayout.Applies(result.Tier));
        Assert.DoesNotContain(PodSpec(Object(result, "DaemonSet"))["volumes"]!.AsArray(), v => (string?)v!["name"] == "hop-tls");
    }

    [Fact]
    public void Render_AvroSourceInTheFlow_KeepsItsOwnSettings()
    {
        // The operator secures the grpc hop it renders; an avro source declared in the flow (a Flume
        // sender's way in) is the user's, with its own ssl/keystore (PKCS#12) properties.
        var yaml = Collector.Replace("sinks:", "sources:\n    - {name: legacy, type: avro, channels: [disk], properties: {port: \"4545\", bind: 0.0.0.0}}\n    sinks:", StringComparison.Ordinal);

        var config = Config(Render(yaml));

        Assert.Contains("agent.sources.legacy.type = avro\n", config);
        Assert.DoesNotContain("agent.sources.legacy.ssl", config, StringComparison.Ordinal);
        Assert.Contains("agent.sources.hop.ssl = true\n", config);
    }

    [Fact]
    public void RenderConfig_LocalPlacement_PlainTextOnLoopback()
    {
        var options = new RenderOptions { Placement = new LocalPlacement(4141, "/tmp/state", new Dictionary<(string, string), IReadOnlyList<int>>()) };

        var result = TierRenderer.RenderConfig(Tier(Collector), options);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.DoesNotContain(".ssl", result.Config!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Services_CarryTheHopPortOnly_NotTheUnauthenticatedAdminPort()
    {
        var result = Render(Collector);

        var services = result.Objects.Where(o => (string?)o["kind"] == "Service").ToList();
        Assert.Equal(2, services.Count);
        Assert.All(services, s => Assert.Equal([4141], s["spec"]!["ports"]!.AsArray().Select(p => (int)p!["port"]!)));
    }

    [Fact]
    public void RenderAll_SenderWithTlsAndPlainTextReceiver_WarnedOnTheSender()
    {
        var tiers = new[] { Tier(Agent), Tier(WithTls(Collector, "{mode: none}")) };

        var results = TierRenderer.RenderAll(tiers, new RenderOptions());

        var warning = Assert.Single(results[0].Warnings);
        Assert.Equal("spec.tls.mode", warning.Key);
        Assert.Contains("operator here but none on CollectorTier collectors", warning.Message, StringComparison.Ordinal);
        Assert.Empty(results[1].Warnings);
    }

    private static JsonObject Volume(string secret) => new()
    {
        ["name"] = "hop-tls",
        ["secret"] = new JsonObject { ["secretName"] = secret, ["defaultMode"] = 288 },
    };

    private static JsonObject? TlsVolume(JsonObject workload)
    {
        var volume = PodSpec(workload)["volumes"]!.AsArray().OfType<JsonObject>().SingleOrDefault(v => (string?)v["name"] == "hop-tls");
        return volume is null ? null : JsonNode.Parse(volume.ToJsonString())!.AsObject();
    }
}
