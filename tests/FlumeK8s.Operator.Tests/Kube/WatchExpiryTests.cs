using System.Text;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Kube;

/// <summary>
/// A watch whose resourceVersion has been compacted away answers 410 Gone, and the reflector recovers
/// by listing again. Its own control plane runs without the API server's watch cache, so watches go
/// to etcd and etcd's compaction expires old versions at once (in a long-lived cluster, time does).
/// </summary>
[Trait("Category", "Slow")]
public sealed class WatchExpiryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubeControlPlane _plane = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        using var start = new CancellationTokenSource(TimeSpan.FromMinutes(35));
        _plane = await KubeControlPlane.StartAsync(withControllerManager: false, start.Token, "--watch-cache=false");
        _client = KubeClient.FromKubeconfig(_plane.KubeconfigPath);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _plane.DisposeAsync();
    }

    [Fact]
    public async Task Watch_FromACompactedVersion_ThrowsExpired()
    {
        var old = await ChurnAndCompactAsync("gone");
        await Assert.ThrowsAsync<WatchExpiredException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(ResourceKind.ConfigMap, "default", old, TimeSpan.FromSeconds(5), default))
            {
            }
        }).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Reflector_VersionCompactedWhileDisconnected_ListsAgainAndSeesCurrentState()
    {
        // The reflector's watches end after a second. It is held inside its callback on "hold" long
        // enough for its watch to end; meanwhile history is churned and compacted, so the version it
        // resumes from is gone: it must list again, and still see the current state.
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var reflector = new Reflector(_client, ResourceKind.ConfigMap, "default", TimeProvider.System, TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var running = reflector.RunAsync(async (change, obj) =>
        {
            var name = KubeClient.Name(obj);
            seen[name] = obj["data"]?["key"]?.GetValue<string>() ?? "";
            if (name == "hold" && change != "LISTED" && holding.TrySetResult())
            {
                await release.Task;
            }
        }, null, stop.Token);
        await Eventually.TrueAsync(() => reflector.Relists == 0 && !running.IsCompleted, "the reflector to run", Timeout);
        await Task.Delay(200);
        await ApplyAsync("hold", "1");
        await holding.Task.WaitAsync(Timeout);
        await Task.Delay(TimeSpan.FromSeconds(2)); // its watch has timed out by now
        await ChurnAndCompactAsync("churn");
        await ApplyAsync("last", "42");
        release.SetResult();

        await Eventually.TrueAsync(() => seen.TryGetValue("last", out var v) && v == "42", "the reflector to see the latest object", Timeout);
        Assert.True(reflector.Relists >= 1, "the reflector never listed again");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }

    // Returns a resourceVersion that is compacted away once this returns.
    private async Task<string> ChurnAndCompactAsync(string name)
    {
        var old = (await _client.ListAsync(ResourceKind.ConfigMap, "default", null, default)).ResourceVersion;
        for (var i = 0; i < 5; i++)
        {
            await ApplyAsync(name, $"{i}");
        }
        var current = (await _client.ListAsync(ResourceKind.ConfigMap, "default", null, default)).ResourceVersion;
        using var http = new HttpClient();
        var body = new StringContent($$"""{"revision":"{{current}}","physical":true}""", Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri(_plane.EtcdUrl!, "/v3/kv/compaction"), body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return old;
    }

    private Task ApplyAsync(string name, string value) => _client.ApplyAsync(ResourceKind.ConfigMap, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["data"] = new JsonObject { ["key"] = value },
    }, "flumek8s-test", default);
}
