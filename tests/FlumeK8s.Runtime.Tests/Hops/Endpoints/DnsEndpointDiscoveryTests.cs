using System.Net.Sockets;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Hops.Endpoints;

public sealed class DnsEndpointDiscoveryTests
{
    [Fact]
    public async Task Refresh_AnswerChanges_PublishesEveryAddressNamedByTheService()
    {
        var time = new ManualTimeProvider();
        var resolver = new FakeHostResolver("10.0.0.2", "10.0.0.1");
        var discovery = new DnsEndpointDiscovery(new DnsTarget("svc", 4141), resolver, TimeSpan.FromSeconds(10), time, NullLogger.Instance);
        var published = new List<IReadOnlyList<HopEndpoint>>();
        await Eventually.Within(discovery.StartAsync(p => { lock (published) { published.Add(p); } }, default));
        try
        {
            Assert.Equal([new HopEndpoint("10.0.0.1", 4141, "svc"), new HopEndpoint("10.0.0.2", 4141, "svc")], published.Single());

            // Same answer: nothing to publish.
            await Eventually.TrueAsync(() => time.PendingTimers == 1, "the refresh timer");
            time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => resolver.Calls == 2, "the second resolution");

            resolver.Answer("10.0.0.1", "10.0.0.2", "10.0.0.3");
            time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => Count(published) == 2, "the grown set");
            Assert.Equal(3, published[1].Count);

            // A failing resolver keeps the last set; a name that no longer exists empties it.
            resolver.Failure = new SocketException((int)SocketError.TryAgain);
            time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => resolver.Calls == 4, "the failed resolution");
            resolver.Failure = null;
            resolver.Answer();
            time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => Count(published) == 3, "the empty set");
            Assert.Empty(published[2]);
        }
        finally
        {
            await Eventually.Within(discovery.StopAsync(default));
        }
    }

    private static int Count(List<IReadOnlyList<HopEndpoint>> published)
    {
        lock (published)
        {
            return published.Count;
        }
    }
}
