using System.Buffers.Text;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Sources.Seq;

/// <summary>
/// Generates events whose bodies are 0, 1, 2, … (as text). A batch that the channel refuses is
/// generated again with the same numbers, so the sequence has no gaps.
/// </summary>
public sealed class SeqSource(string name, SeqSourceSettings settings, ChannelProcessor processor) : IPollableSource
{
    private readonly List<Event> _batch = new(settings.BatchSize);
    private long _next;

    public string Name => name;

    public SourceCounter Counter { get; } = new(name, "seq");

    /// <summary>The next number to generate: everything below it has been committed.</summary>
    public long Next => Interlocked.Read(ref _next);

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        var remaining = settings.TotalEvents - _next;
        if (remaining <= 0)
        {
            return PollStatus.Backoff;
        }
        var count = (int)Math.Min(settings.BatchSize, remaining);
        _batch.Clear();
        for (var i = 0; i < count; i++)
        {
            _batch.Add(new Event(Body(_next + i)));
        }
        Counter.AddEventsReceived(count);
        Counter.IncrementAppendBatchReceived();
        try
        {
            await processor.ProcessBatchAsync(_batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException)
        {
            Counter.IncrementChannelWriteFail();
            return PollStatus.Backoff;
        }
        Interlocked.Add(ref _next, count);
        Counter.AddEventsAccepted(count);
        Counter.IncrementAppendBatchAccepted();
        return PollStatus.Ready;
    }

    private byte[] Body(long number)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out var length);
        var body = new byte[Math.Max(length, settings.BodySize)];
        body.AsSpan(0, body.Length - length).Fill((byte)'0');
        digits[..length].CopyTo(body.AsSpan(body.Length - length));
        return body;
    }
}
