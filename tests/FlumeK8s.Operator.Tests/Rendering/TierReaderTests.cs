using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>Tier documents are checked and defaulted with the CRDs, as the API server would.</summary>
public sealed class TierReaderTests
{
    [Fact]
    public void Read_MinimalTiers_CrdDefaultsApplied()
    {
        var agent = Assert.IsType<AgentTier>(Tier(Agent));
        Assert.Equal(AgentMode.DaemonSet, agent.Spec.Mode);
        Assert.Equal(1, agent.Spec.Replicas);
        Assert.Equal(25, agent.Spec.Pod.ShutdownGraceSeconds);
        Assert.Equal("IfNotPresent", agent.Spec.Pod.ImagePullPolicy);
        Assert.Equal("CollectorTier", agent.Spec.ForwardTo!.Kind);
        Assert.Equal("logs", agent.Metadata.Namespace);

        var store = Assert.IsType<StoreTier>(Tier("""
            apiVersion: flumek8s.io/v1alpha1
            kind: StoreTier
            metadata: {name: s}
            spec:
              flow:
                sources: [{name: r, type: seq, channels: [c], selector: {properties: {optional: c}}}]
                channels: [{name: c, type: memory}]
                sinkGroups: [{name: g, sinks: [k]}]
            """, ns: "prod"));
        Assert.Equal("10Gi", store.Spec.Storage!.Size);
        Assert.Equal("prod", store.Metadata.Namespace);
        Assert.Equal("replicating", store.Spec.Flow.Sources![0].Selector!.Type);
        Assert.Equal("default", store.Spec.Flow.SinkGroups![0].Processor!.Type);
    }

    [Theory]
    [InlineData("  replicas: -1\n", "spec.replicas: must be at least 0")]
    [InlineData("  mode: Daemonset\n", "spec.mode: \"Daemonset\" is not one of \"DaemonSet\", \"Deployment\"")]
    [InlineData("  replica: 2\n", "spec.replica: unknown field")]
    [InlineData("  nodeSelector: {disk: 1}\n", "spec.nodeSelector.disk: must be a string, not the number 1")]
    [InlineData("  volumes: [{name: logs, mountPath: /l}]\n", "spec.volumes[0]: must have exactly one of: hostPath | claimName | secret | configMap | emptyDir (has 0)")]
    [InlineData("  volumes: [{name: logs, mountPath: /l, hostPath: /var/log, claimName: logs}]\n", "spec.volumes[0]: must have exactly one of: hostPath | claimName | secret | configMap | emptyDir (has 2)")]
    [InlineData("  volumes: [{name: tls, mountPath: /tls, secret: {}}]\n", "spec.volumes[0].secret.secretName: required field is missing")]
    [InlineData("  automountServiceAccountToken: \"yes\"\n", "spec.automountServiceAccountToken: must be a boolean")]
    [InlineData("  resources: {limits: {memory: lots}}\n", "spec.resources.limits.memory: 'lots' does not match")]
    public void Read_InvalidSpec_RejectedWithTheField(string line, string expected)
    {
        var read = TierReader.Read(Agent.Replace("spec:\n", "spec:\n" + line));

        Assert.Empty(read.Tiers);
        Assert.Contains(read.Problems, p => p.Contains("AgentTier agents") && p.Contains(expected));
    }

    [Fact]
    public void Read_NumberInAPropertiesMap_RejectedAsTheApiServerWould()
    {
        var read = TierReader.Read(Agent.Replace("{name: c1, type: memory}", "{name: c1, type: memory, properties: {capacity: 100}}"));

        var problem = Assert.Single(read.Problems);
        Assert.Contains("spec.flow.channels[0].properties.capacity: must be a string, not the number 100 (quote it", problem);
    }

    [Fact]
    public void Read_DuplicateComponentNames_Rejected()
    {
        var read = TierReader.Read(Agent.Replace("{name: c1, type: memory}", "{name: c1, type: memory}\n    - {name: c1, type: file}"));

        Assert.Contains(read.Problems, p => p.Contains("spec.flow.channels[1]: duplicate entry"));
    }

    [Fact]
    public void Read_OtherDocumentsAndNamespaceMismatch_Reported()
    {
        var read = TierReader.Read(Agent + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n", "other");

        Assert.Empty(read.Tiers);
        Assert.Contains(read.Problems, p => p.Contains("metadata.namespace 'logs' does not match the namespace 'other'"));
        Assert.Contains(read.Problems, p => p.Contains("document at line 12: not a tier") && p.Contains("found v1 ConfigMap"));
        Assert.Equal(2, read.Problems.Count);
    }

    [Fact]
    public void Read_BrokenYaml_ReportedWithItsPosition()
    {
        var read = TierReader.Read("apiVersion: flumek8s.io/v1alpha1\nkind: [AgentTier\n");

        Assert.Contains("not valid YAML", Assert.Single(read.Problems));
    }

    [Fact]
    public void Read_KeyGivenTwice_ReportedAsInvalidYaml()
    {
        var read = TierReader.Read(Agent.Replace("kind: AgentTier\n", "kind: AgentTier\nkind: AgentTier\n"));

        Assert.Contains("line 3", Assert.Single(read.Problems));
    }

    [Fact]
    public void Read_TwoTiersOfOneName_Reported()
    {
        var read = TierReader.Read(Agent + "\n---\n" + Collector.Replace("name: collectors,", "name: agents,"));

        Assert.Contains(read.Problems, p => p.Contains("logs/agents: 2 tiers have this name"));
    }
}
