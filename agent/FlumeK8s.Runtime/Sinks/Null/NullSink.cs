using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Null;

/// <summary>Takes events and discards them; logs a count every <c>logEveryNEvents</c>.</summary>
public sealed partial class NullSink(string name, IChannel channel, int batchSize, long logEveryNEvents, ILogger logger)
    : BatchSink(name, "null", channel, batchSize)
{
    private long _discarded;

    protected override ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        // Batches in flight discard at the same time: one atomic add, and the crossing of a
        // logEveryNEvents boundary is seen by exactly one of them.
        var discarded = Interlocked.Add(ref _discarded, batch.Count);
        var before = discarded - batch.Count;
        if (logEveryNEvents > 0 && before / logEveryNEvents != discarded / logEveryNEvents)
        {
            LogDiscarded(logger, Name, discarded);
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Null sink {Sink} discarded {Count} events so far")]
    private static partial void LogDiscarded(ILogger logger, string sink, long count);
}
