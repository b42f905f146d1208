using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>
/// One operator process with only its service account's rights, watching a namespace of its own,
/// and what a scenario does there as a user would: kubectl, then waiting for the objects and the
/// tiers' status. Stopping it checks the operator exited cleanly and was never refused by RBAC.
/// </summary>
internal sealed class OperatorScenario
{
    private readonly KubeControlPlane _plane;
    private readonly TimeSpan _timeout;

    private OperatorScenario(KubeControlPlane plane, TimeSpan timeout, string ns, KubeClient client, OperatorProcess process)
    {
        _plane = plane;
        _timeout = timeout;
        Namespace = ns;
        Client = client;
        Operator = process;
    }

    public string Namespace { get; }

    public KubeClient Client { get; }

    public OperatorProcess Operator { get; }

    /// <summary>Creates the namespace and starts the operator on it, its Lease in the service account's namespace.</summary>
    public static async Task<OperatorScenario> StartAsync(KubeControlPlane plane, string prefix, TimeSpan timeout, params string[] operatorFlags)
    {
        var client = KubeClient.FromKubeconfig(plane.KubeconfigPath);
        var kubeconfig = await OperatorServiceAccount.KubeconfigAsync(plane, client);
        var ns = OperatorServiceAccount.NewNamespace(plane, prefix);
        var process = OperatorProcess.Start(kubeconfig, ["--namespace", ns, "--lease-namespace", OperatorServiceAccount.Namespace, .. operatorFlags]);
        return new OperatorScenario(plane, timeout, ns, client, process);
    }

    /// <summary>Stops the operator (its log's tail to the test output) and deletes the namespace.</summary>
    public async Task StopAsync(ITestOutputHelper output)
    {
        try
        {
            var exit = await Operator.StopAsync();
            output.WriteLine(string.Join('\n', Operator.Output.TakeLast(40)));
            Assert.Equal(0, exit);
            // The service account's rights were enough for everything the scenario made it do.
            // (RBAC's refusal names the user; a quota's refusal, which one scenario provokes, does not.)
            Assert.DoesNotContain(Operator.Output, l => l.Contains($"system:serviceaccount:{OperatorServiceAccount.Namespace}:flumek8s-operator\" cannot", StringComparison.Ordinal));
        }
        finally
        {
            await Operator.DisposeAsync();
            _plane.Kubectl("delete", "namespace", Namespace, "--wait=false");
            Client.Dispose();
        }
    }

    /// <summary>The example is written for namespace "logging"; each scenario applies it in its own.</summary>
    public async Task ApplyMeituanExampleAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "examples", "meituan", "tiers.yaml"));
        var copy = Path.Combine(_plane.WorkDirectory, $"{Namespace}-meituan.yaml");
        await File.WriteAllTextAsync(copy, text.Replace("namespace: logging", $"namespace: {Namespace}"));
        Kubectl("apply", "-f", copy);
    }

    public void Kubectl(params string[] args)
    {
        var result = _plane.Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
    }

    public async Task<JsonObject> WaitForAsync(ResourceKind kind, string name, string? ns = null)
    {
        JsonObject? found = null;
        await Eventually.TrueAsync(() => (found = Client.GetAsync(kind, ns ?? Namespace, name, default).Result) is not null, $"{kind.Kind} {name}", _timeout);
        return found!;
    }

    public JsonObject? Tier(string plural, string name) =>
        Client.GetAsync(TierKind(plural), Namespace, name, default).Result;

    /// <summary>Waits until the tier's status satisfies <paramref name="condition"/>; returns that status.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string plural, string name, Func<JsonObject, bool> condition, string? what = null)
    {
        JsonObject? current = null;
        await Eventually.TrueAsync(() => (current = Tier(plural, name)?["status"]?.AsObject()) is { } s && condition(s),
            what ?? $"{plural}/{name} status", _timeout);
        return current!;
    }

    public Task<JsonObject> WaitForConditionAsync(string plural, string name, string type, string status) =>
        WaitForStatusAsync(plural, name, s => s["conditions"]?.AsArray().Any(c => (string?)c!["type"] == type && (string?)c["status"] == status) == true,
            $"{plural}/{name} condition {type}={status}");

    private static ResourceKind TierKind(string plural) => new("flumek8s.io", "v1alpha1", "", plural);
}
