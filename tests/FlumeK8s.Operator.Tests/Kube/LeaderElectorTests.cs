using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;

namespace FlumeK8s.Operator.Tests.Kube;

[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LeaderElectorTests(KubeControlPlaneFixture fixture) : IDisposable
{
    private readonly KubeClient _client = KubeClient.FromKubeconfig(fixture.ControlPlane.KubeconfigPath);

    public void Dispose() => _client.Dispose();

    private LeaderElector Elector(string lease, string identity) =>
        new(_client.Kubernetes, "default", lease, identity, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));

    [Fact]
    public async Task TwoCandidates_OnlyOneLeads_AndTheOtherTakesOverOnRelease()
    {
        var lease = $"lease-{Guid.NewGuid():N}"[..20];
        var first = Elector(lease, "first");
        var second = Elector(lease, "second");

        using var stopFirst = new CancellationTokenSource();
        var leading = new TaskCompletionSource();
        var firstRun = first.RunAsync(_ => { leading.TrySetResult(); return Task.Delay(Timeout.Infinite, stopFirst.Token).ContinueWith(_ => { }); }, stopFirst.Token);
        await leading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var secondLeads = new TaskCompletionSource();
        using var stopSecond = new CancellationTokenSource();
        var secondRun = second.RunAsync(_ => { secondLeads.TrySetResult(); return Task.Delay(Timeout.Infinite, stopSecond.Token).ContinueWith(_ => { }); }, stopSecond.Token);
        await Task.Delay(1000);
        Assert.False(secondLeads.Task.IsCompleted, "the second candidate led while the first held the lease");

        await stopFirst.CancelAsync();
        await firstRun.WaitAsync(TimeSpan.FromSeconds(30));
        // The first released the lease on its way out: the second takes it well before the 15 s lease expires.
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await stopSecond.CancelAsync();
        await secondRun.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
