using FlumeK8s.Operator.Local;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Local;

/// <summary>The Meituan example planned as local processes: endpoints, ports, paths and environment.</summary>
public sealed class LocalPlannerTests
{
    private const string Work = "/work-folder";
    private static readonly IReadOnlyList<ITier> Meituan = TierReader.Read(File.ReadAllText(Path.Combine(RepositoryRoot, "examples", "meituan", "tiers.yaml"))).Tiers;

    private static LocalPlan Plan(int nodes = 1, IReadOnlyList<ITier>? tiers = null)
    {
        var port = 20000;
        return LocalPlanner.Plan(tiers ?? Meituan, new WorkFolder(Work), nodes, () => port++);
    }

    private static Dictionary<string, string> Properties(LocalProcessSpec process) => process.Config
        .Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains(" = ", StringComparison.Ordinal))
        .Select(l => l.Split(" = ", 2))
        .ToDictionary(p => p[0], p => p[1].Replace("\\\\", "\\", StringComparison.Ordinal));

    [Fact]
    public void Plan_Meituan_OneAgentTwoCollectorsTwoStoresEachOnItsOwnPorts()
    {
        var plan = Plan();

        Assert.Empty(plan.Problems);
        Assert.Equal(["app-agents-node-0", "collectors-0", "collectors-1", "stores-0", "stores-1"], plan.Processes.Select(p => p.Pod));
        Assert.Null(plan.Processes[0].HopPort);
        var ports = plan.Processes.Select(p => p.AdminPort).Concat(plan.Processes.Select(p => p.HopPort).OfType<int>()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(plan.Processes, p => Assert.Equal(["--http-port", p.AdminPort.ToString(), "--http-bind", "127.0.0.1"], p.Arguments.TakeLast(4)));
    }

    [Fact]
    public void PlanFile_Meituan_TheSameProcessesAsItsTiersPlanned()
    {
        var port = 20000;
        var plan = LocalPlanner.PlanFile(File.ReadAllText(Path.Combine(RepositoryRoot, "examples", "meituan", "tiers.yaml")), new WorkFolder(Work), 1, () => port++, out var problems);

        Assert.Empty(problems);
        Assert.NotNull(plan);
        Assert.Equal(Plan().Processes.Select(p => p.Config), plan.Processes.Select(p => p.Config));
    }

    [Fact]
    public void PlanFile_UnknownSinkType_NoPlanAndTheRenderersProblemNamingTheTier()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot, "examples", "meituan", "tiers.yaml")).Replace("type: hdfs", "type: hdfz", StringComparison.Ordinal);

        var plan = LocalPlanner.PlanFile(yaml, new WorkFolder(Work), 1, () => 20000, out var problems);

        Assert.Null(plan);
        Assert.Contains(problems, p => p.StartsWith("StoreTier logging/stores: ", StringComparison.Ordinal) && p.Contains("unknown sink type 'hdfz'", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_Meituan_HopEndpointsAreTheNextTiersLoopbackPorts()
    {
        var plan = Plan();
        var collectors = plan.Processes.Where(p => p.TierName == "collectors").ToList();
        var stores = plan.Processes.Where(p => p.TierName == "stores").ToList();

        Assert.Equal(string.Join(' ', collectors.Select(c => $"127.0.0.1:{c.HopPort}")), Properties(plan.Processes[0])["agent.sinks.forward-buffer.hosts"]);
        Assert.All(collectors, c => Assert.Equal(string.Join(' ', stores.Select(s => $"127.0.0.1:{s.HopPort}")), Properties(c)["agent.sinks.forward-disk.hosts"]));
        Assert.All(collectors.Concat(stores), p =>
        {
            Assert.Equal("127.0.0.1", Properties(p)["agent.sources.hop.bind"]);
            Assert.Equal(p.HopPort.ToString(), Properties(p)["agent.sources.hop.port"]);
        });
    }

    [Fact]
    public void Plan_SecretConfigMapAndEmptyDirVolumes_AnEmptyDirectoryOfThePodsOwnAndANoteForTheClusterOnes()
    {
        var collector = Tier(Collector.Replace("spec:\n", """
            spec:
              volumes:
              - {name: tls, mountPath: /etc/tls, readOnly: true, secret: {secretName: collector-tls}}
              - {name: scratch, mountPath: /scratch, emptyDir: {}}

            """));

        var plan = Plan(tiers: [collector]);

        Assert.Empty(plan.Problems);
        var pods = plan.Processes.Select(p => p.Pod).ToList();
        Assert.Equal(3, pods.Count);
        foreach (var pod in pods)
        {
            Assert.Contains(Path.Combine(Work, "logs", "pods", pod, "volumes", "tls"), plan.Processes.Single(p => p.Pod == pod).Folders);
            Assert.Contains(Path.Combine(Work, "logs", "pods", pod, "volumes", "scratch"), plan.Processes.Single(p => p.Pod == pod).Outputs);
            Assert.Contains(plan.Notes, n => n.StartsWith($"{pod}: volume tls comes from a Secret", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(plan.Notes, n => n.Contains("volume scratch", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_Meituan_StateAndVolumesMappedUnderTheWorkFolder()
    {
        var plan = Plan();
        var agent = Properties(plan.Processes[0]);
        var collector = Properties(plan.Processes[1]);
        var store = Properties(plan.Processes[3]);

        Assert.Equal($"{Work}/nodes/node-0/var/log/apps/.*\\.log", agent["agent.sources.app-logs.filegroups.apps"]);
        Assert.Equal($"{Work}/nodes/node-0/var/lib/flumek8s/logging/app-agents/buffer/checkpoint", agent["agent.channels.buffer.checkpointDir"]);
        Assert.Equal($"{Work}/nodes/node-0/var/lib/flumek8s/logging/app-agents/app-logs/taildir_position.json", agent["agent.sources.app-logs.positionFile"]);
        Assert.Equal($"{Work}/logging/pods/collectors-0/state/disk/data", collector["agent.channels.disk.dataDirs"]);
        Assert.StartsWith($"{Work}/logging/claims/flumek8s-archive/", store["agent.sinks.archive.hdfs.path"]);
        Assert.Equal([$"{Work}/logging/claims/flumek8s-archive"], plan.OutputDirectories);
        Assert.Equal([$"{Work}/nodes/node-0/var/log/apps/app.log"], plan.InputFiles);
        Assert.Equal($"{Work}/logging/pods/stores-1", plan.Processes[4].Directory);
    }

    [Fact]
    public void Plan_Meituan_OnlyPlacementKeysDifferFromTheClustersConfiguration()
    {
        var plan = Plan();
        var placementKeys = new[] { ".hosts", ".bind", ".port", ".checkpointDir", ".dataDirs", ".positionFile", ".filegroups.apps", ".hdfs.path" };

        foreach (var process in plan.Processes)
        {
            var cluster = TierRenderer.Render(process.Tier, new RenderOptions()).Config!.Text;
            // Local processes talk over loopback in plain text: the hop TLS keys are the cluster's alone.
            var clusterKeys = Properties(process with { Config = cluster })
                .Where(p => !p.Key.Contains(".ssl", StringComparison.Ordinal) && !p.Key.EndsWith(".truststore", StringComparison.Ordinal))
                .ToDictionary();
            var local = Properties(process);
            Assert.Equal(clusterKeys.Keys.Order(), local.Keys.Order());
            var differing = local.Where(p => clusterKeys[p.Key] != p.Value).Select(p => p.Key).ToList();
            Assert.All(differing, key => Assert.Contains(placementKeys, k => key.EndsWith(k, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Plan_TwoNodes_AnAgentPerNodeWithItsOwnHostPathsAndReplicasSpreadOverTheNodes()
    {
        var plan = Plan(nodes: 2);

        var agents = plan.Processes.Where(p => p.Stage == 0).ToList();
        Assert.Equal(["app-agents-node-0", "app-agents-node-1"], agents.Select(a => a.Pod));
        Assert.Equal([$"{Work}/nodes/node-0/var/log/apps/app.log", $"{Work}/nodes/node-1/var/log/apps/app.log"], plan.InputFiles);
        Assert.Equal(["node-0", "node-1"], plan.Processes.Where(p => p.TierName == "stores").Select(p => p.Node));
    }

    [Fact]
    public void Plan_Environment_PodNameNamespaceAndNodeAsThePodHasThem()
    {
        var plan = Plan(nodes: 2);

        var store = plan.Processes.Single(p => p.Pod == "stores-1");
        Assert.Equal("stores-1", store.Environment["POD_NAME"]);
        Assert.Equal("logging", store.Environment["POD_NAMESPACE"]);
        Assert.Equal("node-1", store.Environment["NODE_NAME"]);
    }

    [Fact]
    public void Plan_ForwardToATierNotInTheFile_AProblemNamingIt()
    {
        var plan = Plan(tiers: Meituan.Where(t => t.Kind != TierKind.StoreTier).ToList());

        Assert.Contains(plan.Problems, p => p.Contains("CollectorTier logging/collectors: spec.forwardTo names stores", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_EnvironmentVariableWithNoLocalValue_TheAgentsLoaderProblemAndANote()
    {
        var tier = Tier("""
            apiVersion: flumek8s.io/v1alpha1
            kind: StoreTier
            metadata: {name: st, namespace: ns}
            spec:
              env:
              - name: FLUMEK8S_LOCAL_TEST_SECRET
                valueFrom: {secretKeyRef: {name: s, key: k}}
              flow:
                channels: [{name: c, type: memory}]
                sinks: [{name: k, type: file_roll, channel: c, properties: {sink.directory: "/tmp/${env:FLUMEK8S_LOCAL_TEST_SECRET}"}}]
            """);

        var plan = Plan(tiers: [tier]);

        Assert.Contains(plan.Notes, n => n.Contains("env FLUMEK8S_LOCAL_TEST_SECRET comes from Secret s key k", StringComparison.Ordinal));
        Assert.Contains(plan.Problems, p => p.Contains("FLUMEK8S_LOCAL_TEST_SECRET", StringComparison.Ordinal) && p.Contains("st-0", StringComparison.Ordinal));
    }
}
