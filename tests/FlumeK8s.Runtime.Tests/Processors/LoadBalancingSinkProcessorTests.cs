using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Processors;

public sealed class LoadBalancingSinkProcessorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedSink[] _sinks = [new("k1"), new("k2"), new("k3")];

    [Fact]
    public async Task RoundRobin_SpreadsTurnsEvenly()
    {
        var processor = new LoadBalancingSinkProcessor(_sinks, new RoundRobinSinkSelector(_sinks, new SinkBackoff(false, TimeSpan.FromSeconds(30), _time)));
        for (var i = 0; i < 30; i++)
        {
            await processor.ProcessAsync(default);
        }
        Assert.All(_sinks, s => Assert.Equal(10, s.Calls));
    }

    [Fact]
    public async Task Random_WithSeed_UsesEverySinkAndIsReproducible()
    {
        var processor = new LoadBalancingSinkProcessor(_sinks, new RandomSinkSelector(_sinks, new SinkBackoff(false, TimeSpan.FromSeconds(30), _time), new Random(7)));
        for (var i = 0; i < 300; i++)
        {
            await processor.ProcessAsync(default);
        }
        Assert.All(_sinks, s => Assert.InRange(s.Calls, 70, 130));
    }

    [Fact]
    public async Task FailingSink_NextOneTakesTheTurn()
    {
        var processor = new LoadBalancingSinkProcessor(_sinks, new RoundRobinSinkSelector(_sinks, new SinkBackoff(false, TimeSpan.FromSeconds(30), _time)));
        _sinks[0].Fails = true;
        await processor.ProcessAsync(default);
        Assert.Equal(1, _sinks[0].Calls);
        Assert.Equal(1, _sinks[1].Calls);
    }

    [Fact]
    public async Task Backoff_ExcludesFailedSinkExponentiallyUpToMaxTimeOut()
    {
        var processor = new LoadBalancingSinkProcessor(_sinks, new RoundRobinSinkSelector(_sinks, new SinkBackoff(true, TimeSpan.FromSeconds(3), _time)));
        _sinks[0].Fails = true;
        await processor.ProcessAsync(default); // k1 fails: excluded 2 s
        for (var i = 0; i < 6; i++)
        {
            await processor.ProcessAsync(default);
        }
        Assert.Equal(1, _sinks[0].Calls);
        _time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 3; i++)
        {
            await processor.ProcessAsync(default); // k1 tried again, fails: excluded min(3 s, 4 s)
        }
        Assert.Equal(2, _sinks[0].Calls);
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        for (var i = 0; i < 3; i++)
        {
            await processor.ProcessAsync(default);
        }
        Assert.Equal(2, _sinks[0].Calls);
    }

    [Fact]
    public async Task AllFail_ThrowsDeliveryFailure()
    {
        var processor = new LoadBalancingSinkProcessor(_sinks, new RoundRobinSinkSelector(_sinks, new SinkBackoff(true, TimeSpan.FromSeconds(30), _time)));
        foreach (var sink in _sinks)
        {
            sink.Fails = true;
        }
        var error = await Assert.ThrowsAsync<SinkDeliveryException>(() => processor.ProcessAsync(default).AsTask());
        Assert.Contains("failed", error.Message);
        error = await Assert.ThrowsAsync<SinkDeliveryException>(() => processor.ProcessAsync(default).AsTask());
        Assert.Contains("backoff", error.Message);
    }
}
