using System.Buffers.Text;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Seq;

/// <summary>
/// Generates events whose bodies are 0, 1, 2, … (as text). Up to <c>batches-in-flight</c> batches
/// are committed at once (<see cref="DeliveryWindow{TMark}"/>); when one is refused, generating goes
/// back to the first number not yet acknowledged, so the sequence has no gaps (a batch after the
/// refused one that did commit is generated again).
/// </summary>
public sealed class SeqSource : IPollableSource
{
    private readonly SeqSourceSettings _settings;
    private readonly List<EventDraft> _batch;
    private readonly DeliveryWindow<long> _window;
    private long _generated; // the next number to generate
    private long _next;      // the next number not yet acknowledged

    public SeqSource(string name, SeqSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "seq");
        _settings = settings;
        _batch = new List<EventDraft>(settings.BatchSize);
        var delivery = new RequestDelivery(name, processor, Counter, services.Logs.CreateLogger<SeqSource>());
        _window = new DeliveryWindow<long>(delivery, settings.BatchesInFlight, next => Interlocked.Exchange(ref _next, next));
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The next number to generate: everything below it has been committed.</summary>
    public long Next => Interlocked.Read(ref _next);

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        var remaining = _settings.TotalEvents - _generated;
        if (remaining <= 0)
        {
            if (await _window.SettleAsync(cancellationToken).ConfigureAwait(false))
            {
                return PollStatus.Backoff;
            }
            _generated = Next;
            return PollStatus.Ready;
        }
        var count = (int)Math.Min(_settings.BatchSize, remaining);
        _batch.Clear();
        for (var i = 0; i < count; i++)
        {
            _batch.Add(new EventDraft(Body(_generated + i)));
        }
        if (!await _window.SendAsync(_batch, _generated + count, cancellationToken).ConfigureAwait(false))
        {
            _generated = Next;
            return PollStatus.Backoff;
        }
        _generated += count;
        return PollStatus.Ready;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _window.SettleAsync(CancellationToken.None).ConfigureAwait(false);
        _generated = Next;
    }

    private byte[] Body(long number)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out var length);
        var body = new byte[Math.Max(length, _settings.BodySize)];
        body.AsSpan(0, body.Length - length).Fill((byte)'0');
        digits[..length].CopyTo(body.AsSpan(body.Length - length));
        return body;
    }
}
