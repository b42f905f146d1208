using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sinks.Null;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Runners;

public sealed class SinkRunnerTests
{
    [Fact]
    public async Task IdleSink_WakesAsSoonAsEventsArrive_WithoutWaitingForBackoff()
    {
        var time = new ManualTimeProvider();
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(100, 100, TimeSpan.Zero, 1L << 20), time);
        var sink = new NullSink("k1", channel, 10, 0, NullLogger.Instance);
        var runner = new SinkRunner("k1", new DefaultSinkProcessor(sink), RunnerBackoff.Default, time, NullLogger.Instance);
        await runner.StartAsync(default);
        await Eventually.TrueAsync(() => time.PendingTimers == 1, "the idle sink to sleep");

        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([Event.FromText("a"), Event.FromText("b")]);
            await put.CommitAsync(default);
        }
        await Eventually.TrueAsync(() => sink.Counter.EventsDrained == 2, "events drained without the clock moving");
        await Eventually.Within(runner.StopAsync(default));
    }
}
