using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>
/// The API server goes away under a running operator and comes back: the operator must not need a
/// restart. Its own control plane, so the shared one is never interrupted.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ApiServerRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private KubeControlPlane _plane = null!;

    public async Task InitializeAsync()
    {
        using var start = new CancellationTokenSource(TimeSpan.FromMinutes(35));
        _plane = await KubeControlPlane.StartAsync(withControllerManager: false, start.Token);
    }

    public async Task DisposeAsync() => await _plane.DisposeAsync();

    // Elected, the outage must stay within the lease's renew deadline (10 s, restart included): the
    // leader keeps its term. Longer, a leader rightly steps down and exits for its pod to restart.
    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 1)]
    public async Task ApiServerRestartedMidRun_TheOperatorReconcilesTheNextChangeWithoutARestart(bool leaderElection, int downSeconds)
    {
        using var client = KubeClient.FromKubeconfig(_plane.KubeconfigPath);
        var election = leaderElection ? new[] { "--lease-namespace", OperatorServiceAccount.Namespace } : ["--no-leader-elect"];
        await using var process = OperatorProcess.Start(await OperatorServiceAccount.KubeconfigAsync(_plane, client), ["--namespace", "default", .. election]);
        await TestTiers.ApplyCollectorAsync(client, "default", "t1", "110");
        await Eventually.TrueAsync(async () => (await TestTiers.ConfigOfAsync(client, "default", "t1"))?.Contains("capacity = 110") == true, "the first reconcile", Timeout);

        await _plane.RestartApiServerAsync(TimeSpan.FromSeconds(downSeconds), CancellationToken.None);
        await TestTiers.ApplyCollectorAsync(client, "default", "t1", "120");

        try
        {
            await Eventually.TrueAsync(async () => (await TestTiers.ConfigOfAsync(client, "default", "t1"))?.Contains("capacity = 120") == true, "the change after the restart", Timeout);
        }
        finally
        {
            output.WriteLine(string.Join('\n', process.Output.TakeLast(30)));
        }
        Assert.False(process.HasExited);
        Assert.Equal(0, await process.StopAsync());
    }
}
