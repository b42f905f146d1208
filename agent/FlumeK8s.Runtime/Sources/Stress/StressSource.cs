using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Sources.Stress;

/// <summary>
/// Flume's load generator: batches of events with <c>size</c>-byte bodies (every byte 127, as in
/// Flume), as fast as the channel takes them or at <c>maxEventsPerSecond</c>. A refused batch
/// counts toward <c>maxTotalEvents</c> but not <c>maxSuccessfulEvents</c>; once either limit is
/// reached the source only answers Backoff.
/// </summary>
public sealed class StressSource : IPollableSource
{
    private readonly StressSourceSettings _settings;
    private readonly ChannelProcessor _processor;
    private readonly EventRateLimiter? _limiter;
    private readonly byte[] _body;
    private readonly List<Event> _batch;
    private long _total;
    private long _successful;

    public StressSource(string name, StressSourceSettings settings, ChannelProcessor processor, TimeProvider time)
    {
        Name = name;
        _settings = settings;
        _processor = processor;
        _limiter = settings.MaxEventsPerSecond > 0 ? new EventRateLimiter(settings.MaxEventsPerSecond, time) : null;
        _body = new byte[settings.Size];
        Array.Fill(_body, (byte)sbyte.MaxValue);
        _batch = new List<Event>(settings.BatchSize);
        Counter = new SourceCounter(name, "stress");
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>Events offered to the channel so far, refused ones included.</summary>
    public long TotalEvents => Interlocked.Read(ref _total);

    /// <summary>Events the channel committed so far.</summary>
    public long SuccessfulEvents => Interlocked.Read(ref _successful);

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        var count = NextBatchSize();
        if (count == 0)
        {
            return PollStatus.Backoff;
        }
        if (_limiter is not null)
        {
            await _limiter.AcquireAsync(count, cancellationToken).ConfigureAwait(false);
        }
        _batch.Clear();
        for (var i = 0; i < count; i++)
        {
            // A body per event: the pipeline may change an event's body, and must not change another's.
            _batch.Add(new Event((byte[])_body.Clone()));
        }
        Counter.AddEventsReceived(count);
        Counter.IncrementAppendBatchReceived();
        Interlocked.Add(ref _total, count);
        try
        {
            await _processor.ProcessBatchAsync(_batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException)
        {
            Counter.IncrementChannelWriteFail();
            return PollStatus.Backoff;
        }
        Interlocked.Add(ref _successful, count);
        Counter.AddEventsAccepted(count);
        Counter.IncrementAppendBatchAccepted();
        return PollStatus.Ready;
    }

    private int NextBatchSize()
    {
        long count = _settings.BatchSize;
        if (_settings.MaxTotalEvents >= 0)
        {
            count = Math.Min(count, _settings.MaxTotalEvents - _total);
        }
        if (_settings.MaxSuccessfulEvents >= 0)
        {
            count = Math.Min(count, _settings.MaxSuccessfulEvents - _successful);
        }
        return (int)Math.Max(0, count);
    }
}
