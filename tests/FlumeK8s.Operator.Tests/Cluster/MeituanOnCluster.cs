using System.Diagnostics;
using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// The node up, the operator installed as a user installs it (CRDs and operator/deploy applied with
/// kubectl; it runs as a pod of the image built from the Dockerfile, with its service account), and
/// examples/meituan/tiers.yaml applied with its namespace and archive claim: an agent DaemonSet
/// tailing /var/log/apps on the node, two collectors and two stores as pods, their hops under mutual
/// TLS from the operator's CA (the example's default), with certificates renewed every minute.
/// </summary>
public sealed class MeituanOnCluster(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string Namespace = "logging";
    private static readonly string[] HostFolders = [AppLogFile.Folder, "/var/lib/flumek8s"];
    private readonly List<string> _madeHostFolders = [];
    private SingleNodeCluster? _cluster;
    private string _tiers = "";

    public SingleNodeCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not up");

    public Archive Archive { get; private set; } = null!;

    /// <summary>From <c>kubectl apply</c> of the tiers to the first line in the archive.</summary>
    public TimeSpan ApplyToFirstStored { get; private set; }

    public async Task InitializeAsync()
    {
        _madeHostFolders.AddRange(HostFolders.Where(f => !Directory.Exists(f)));
        var clock = Stopwatch.StartNew();
        _cluster = await SingleNodeCluster.UpAsync(CancellationToken.None);
        Report($"cluster: up in {clock.Elapsed.TotalSeconds:F0} s ({string.Join(", ", Cluster.Figures.Select(f => $"{f.Key} {f.Value}"))})");

        Cluster.MustKubectl("apply", "-f", Path.Combine(RepositoryRoot.Path, "crds"));
        Cluster.MustKubectl("wait", "--for=condition=Established", "crd/collectortiers.flumek8s.io", "crd/storetiers.flumek8s.io", "crd/agenttiers.flumek8s.io", "--timeout=60s");
        Cluster.MustKubectl("apply", "-f", Path.Combine(RepositoryRoot.Path, "operator", "deploy"));
        // Hop certificates live 6 minutes and are renewed after one: every scenario runs through renewals.
        var shortLived = new[] { "--certificate-validity", "6m", "--renew-before", "5m" }
            .Select(a => $$"""{"op": "add", "path": "/spec/template/spec/containers/0/args/-", "value": "{{a}}"}""");
        Cluster.MustKubectl("-n", "flumek8s-system", "patch", "deployment", "flumek8s-operator", "--type=json", "-p", $"[{string.Join(',', shortLived)}]");
        Cluster.MustKubectl("-n", "flumek8s-system", "rollout", "status", "deployment/flumek8s-operator", "--timeout=300s");

        Cluster.MustKubectl("create", "namespace", Namespace);
        var claim = Path.Combine(SingleNodeCluster.StateDirectory, "archive-claim.yaml");
        await File.WriteAllTextAsync(claim, $"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {"{"}name: flumek8s-archive, namespace: {Namespace}{"}"}
            spec:
              accessModes: [ReadWriteMany]
              resources: {"{"}requests: {"{"}storage: 5Gi{"}"}{"}"}
            """);
        Cluster.MustKubectl("apply", "-f", claim);

        _tiers = await ExampleForThisNodeAsync();
        var first = new AppLogFile("first");
        using var trickle = new CancellationTokenSource();
        var appliedAt = Stopwatch.StartNew();
        ApplyTiers();
        var writing = first.AppendAsync(0, long.MaxValue / 2, 10, trickle.Token);
        await Eventually.TrueAsync(() => Cluster.Kubectl("-n", Namespace, "get", "pvc", "flumek8s-archive", "-o", "jsonpath={.status.phase}").Stdout == "Bound",
            "the archive claim to be bound", TimeSpan.FromMinutes(2));
        var volume = Cluster.MustKubectl("-n", Namespace, "get", "pvc", "flumek8s-archive", "-o", "jsonpath={.spec.volumeName}");
        Archive = new Archive(Cluster.MustKubectl("get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}"));
        try
        {
            await Eventually.TrueAsync(() => Archive.Read(first.Prefix).Numbers.Count > 0, "the first line in the archive", TimeSpan.FromMinutes(8));
        }
        catch (TimeoutException)
        {
            Report(Describe());
            throw;
        }
        ApplyToFirstStored = appliedAt.Elapsed;
        await trickle.CancelAsync();
        await writing.ContinueWith(_ => { }, TaskScheduler.Default);
        Report($"cluster: kubectl apply → first event stored {ApplyToFirstStored.TotalSeconds:F0} s");
    }

    // The example as it is, but for one setting: this node's claims are host-path volumes
    // (root:root 0750), which ignore fsGroup as NFS does, so the collectors hand theirs to the
    // agent's user too (the stores already do, for their NFS archive).
    private async Task<string> ExampleForThisNodeAsync()
    {
        var list = JsonNode.Parse(Cluster.MustKubectl("apply", "--dry-run=client", "-o", "json", "-f", Path.Combine(RepositoryRoot.Path, "examples", "meituan", "tiers.yaml")))!;
        foreach (var tier in list["items"]!.AsArray().Where(t => t!["kind"]!.GetValue<string>() == "CollectorTier"))
        {
            tier!["spec"]!["storage"]!["chownVolumes"] = true;
        }
        var path = Path.Combine(SingleNodeCluster.StateDirectory, "meituan-tiers.json");
        await File.WriteAllTextAsync(path, list.ToJsonString());
        return path;
    }

    /// <summary>kubectl apply of the example's tiers (as adapted to this node).</summary>
    public void ApplyTiers() => Cluster.MustKubectl("apply", "-f", _tiers);

    /// <summary>The example's shape again, whatever an earlier test left: its replicas, the stores running, every pod ready.</summary>
    public async Task SettleAsync(int collectors)
    {
        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", $"--replicas={collectors}");
        await Eventually.TrueAsync(() => StatefulSetReplicas("collectors") == collectors && StatefulSetReplicas("stores") == 2, "the example's replicas", TimeSpan.FromMinutes(3));
        Cluster.MustKubectl("-n", Namespace, "rollout", "status", "statefulset/collectors", "--timeout=180s");
        Cluster.MustKubectl("-n", Namespace, "rollout", "status", "statefulset/stores", "--timeout=180s");
        // Pods of a scale-down still stopping would be counted by the next test.
        await Eventually.TrueAsync(() => PodCount("collectors") == collectors && PodCount("stores") == 2, "the leaving pods to be gone", TimeSpan.FromMinutes(3));
    }

    public int PodCount(string instance) =>
        Cluster.MustKubectl("-n", Namespace, "get", "pods", "-l", $"app.kubernetes.io/instance={instance}", "-o", "name")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Waits until every line of <paramref name="log"/> is in the archive (a timeout reports what is missing and the namespace's state); says how many came twice.</summary>
    public async Task ExpectAllStoredAsync(AppLogFile log, int lines, ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await Eventually.TrueAsync(() => Archive.Read(log.Prefix).Numbers.Count == lines, $"all {lines} lines of {log.Prefix} in the archive", TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            var (numbers, _) = Archive.Read(log.Prefix);
            output.WriteLine($"{numbers.Count} of {lines} stored; first missing: {string.Join(", ", Enumerable.Range(0, lines).Where(n => !numbers.Contains(n)).Take(10))}\n{Describe()}");
            throw;
        }
        var (_, duplicates) = Archive.Read(log.Prefix);
        output.WriteLine($"{log.Prefix}: all {lines} lines stored ({duplicates} stored twice) {clock.Elapsed.TotalSeconds:F1} s after the last was written");
    }

    /// <summary>A condition of a collector tier of the example's namespace, as its status says now.</summary>
    public JsonNode? CollectorTierCondition(string tier, string type) =>
        JsonNode.Parse(Cluster.MustKubectl("-n", Namespace, "get", "collectortier", tier, "-o", "json"))?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    /// <summary>Pod name → restarts of its agent container, for every pod of the example.</summary>
    public Dictionary<string, int> Restarts()
    {
        var pods = JsonNode.Parse(Cluster.MustKubectl("-n", Namespace, "get", "pods", "-o", "json"))!["items"]!.AsArray();
        return pods.ToDictionary(p => p!["metadata"]!["name"]!.GetValue<string>(),
            p => p!["status"]!["containerStatuses"]?.AsArray().Sum(c => c!["restartCount"]!.GetValue<int>()) ?? 0);
    }

    public int StatefulSetReplicas(string name) =>
        int.Parse(Cluster.MustKubectl("-n", Namespace, "get", "statefulset", name, "-o", "jsonpath={.spec.replicas}"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Pods, tiers and recent events of the example's namespace, and the operator's log: for failure reports.</summary>
    public string Describe() =>
        string.Join('\n',
            Cluster.Kubectl("-n", Namespace, "get", "pods,statefulsets,daemonsets,pvc", "-o", "wide").Stdout,
            Cluster.Kubectl("-n", Namespace, "get", "collectortiers,storetiers,agenttiers", "-o", "yaml").Stdout,
            Cluster.Kubectl("-n", Namespace, "get", "events", "--sort-by=.lastTimestamp").Stdout,
            Cluster.Kubectl("-n", "flumek8s-system", "logs", "deployment/flumek8s-operator", "--tail=40").Stdout);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        foreach (var folder in _madeHostFolders)
        {
            Directory.Delete(folder, recursive: true);
        }
        // In a folder that was there before, only the logs the tests wrote go.
        foreach (var log in Directory.Exists(AppLogFile.Folder) ? Directory.EnumerateFiles(AppLogFile.Folder, $"{AppLogFile.TestPrefix}*.log") : [])
        {
            File.Delete(log);
        }
    }

    private void Report(string message) => diagnostics.OnMessage(new DiagnosticMessage(message));
}

[CollectionDefinition(Name)]
public sealed class MeituanOnClusterCollection : ICollectionFixture<MeituanOnCluster>
{
    public const string Name = "Meituan example on a single-node cluster";
}
