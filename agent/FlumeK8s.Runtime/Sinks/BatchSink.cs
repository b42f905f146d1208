using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>
/// The take–deliver–commit cycle every sink shares: take up to <see cref="BatchSize"/> events in
/// one transaction, hand them to <see cref="DeliverAsync"/>, commit only after it returns. A
/// failure rolls back, so the events stay in the channel for the next attempt.
/// </summary>
public abstract class BatchSink : ISink
{
    private readonly List<Event> _batch = [];

    protected BatchSink(string name, string type, IChannel channel, int batchSize, IReadOnlyList<string>? extraCounters = null)
    {
        Name = name;
        Channel = channel;
        BatchSize = batchSize;
        Counter = new SinkCounter(name, type, extraCounters);
    }

    public string Name { get; }

    public IChannel Channel { get; }

    public SinkCounter Counter { get; }

    public int BatchSize { get; }

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        _batch.Clear();
        using var transaction = Channel.BeginTransaction();
        int taken;
        try
        {
            taken = transaction.TakeBatch(_batch, BatchSize);
        }
        catch (ChannelException)
        {
            Counter.IncrementChannelReadFail();
            throw;
        }
        Counter.CountBatch(taken, BatchSize);
        if (taken == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return PollStatus.Backoff;
        }
        Counter.AddEventsDrainAttempted(taken);
        try
        {
            await DeliverAsync(_batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Counter.IncrementEventWriteFail();
            throw;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Counter.AddEventsDrained(taken);
        _batch.Clear();
        return PollStatus.Ready;
    }

    /// <summary>Delivers the batch durably (as far as the destination allows) or throws.</summary>
    protected abstract ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken);
}
