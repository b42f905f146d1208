using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Processors;

public sealed class FailoverSinkProcessorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedSink _high = new("high");
    private readonly ScriptedSink _low = new("low");

    private FailoverSinkProcessor Create(int maxPenaltyMs = 30000) =>
        new([_low, _high], new Dictionary<string, int> { ["high"] = 10, ["low"] = 5 }, TimeSpan.FromMilliseconds(maxPenaltyMs), _time);

    [Fact]
    public async Task Process_Healthy_UsesHighestPriority()
    {
        var processor = Create();
        await processor.ProcessAsync(default);
        await processor.ProcessAsync(default);
        Assert.Equal(2, _high.Calls);
        Assert.Equal(0, _low.Calls);
    }

    [Fact]
    public async Task Process_HighFails_FailsOverAndParksItForPenalty()
    {
        var processor = Create();
        _high.Fails = true;
        await processor.ProcessAsync(default);
        Assert.Equal(1, _low.Calls);
        Assert.Same(_low, processor.ActiveSink);

        _high.Fails = false;
        _time.Advance(TimeSpan.FromMilliseconds(1999)); // first penalty: 2^1 × 1 s
        await processor.ProcessAsync(default);
        Assert.Equal(1, _high.Calls);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await processor.ProcessAsync(default);
        Assert.Equal(2, _high.Calls);
        Assert.Same(_high, processor.ActiveSink);
    }

    [Fact]
    public async Task Process_RepeatedFailures_PenaltyDoublesUpToMax()
    {
        var processor = Create(maxPenaltyMs: 5000);
        _high.Fails = true;
        await processor.ProcessAsync(default); // parked 2 s
        _time.Advance(TimeSpan.FromSeconds(2));
        await processor.ProcessAsync(default); // retried, fails: parked 4 s
        Assert.Equal(2, _high.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(3999));
        await processor.ProcessAsync(default);
        Assert.Equal(2, _high.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await processor.ProcessAsync(default); // fails again: capped at 5 s
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        await processor.ProcessAsync(default);
        Assert.Equal(3, _high.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await processor.ProcessAsync(default);
        Assert.Equal(4, _high.Calls);
    }

    [Fact]
    public async Task Process_AllFail_ThrowsDeliveryFailure()
    {
        var processor = Create();
        _high.Fails = _low.Fails = true;
        await Assert.ThrowsAsync<SinkDeliveryException>(() => processor.ProcessAsync(default).AsTask());
        await Assert.ThrowsAsync<SinkDeliveryException>(() => processor.ProcessAsync(default).AsTask());
        Assert.Equal(1, _high.Calls);
    }
}
