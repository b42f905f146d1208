using FlumeK8s.Runtime.Sources.Delivery;

namespace FlumeK8s.Runtime.Sources.Exec;

/// <summary>
/// The lines read since the last flush and the batch timeout that runs from the first of them.
/// One timer per batch (not per line) keeps a chatty command cheap.
/// </summary>
internal sealed class LineBatch(int batchSize, TimeSpan batchTimeout, TimeProvider time) : IDisposable
{
    private CancellationTokenSource? _timer;

    public List<EventDraft> Lines { get; } = new(batchSize);

    /// <summary>Completes when the batch has waited <c>batchTimeout</c>; null while the batch is empty.</summary>
    public Task? FlushDue { get; private set; }

    /// <summary>Adds a line; true when the batch is full and should be flushed now.</summary>
    public bool Add(EventDraft line, CancellationToken cancellationToken)
    {
        Lines.Add(line);
        if (Lines.Count == 1)
        {
            _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            FlushDue = Task.Delay(batchTimeout, time, _timer.Token);
        }
        return Lines.Count >= batchSize;
    }

    public void StopTimer()
    {
        if (_timer is not null)
        {
            _timer.Cancel();
            _timer.Dispose();
            _timer = null;
        }
        FlushDue = null;
    }

    public void Dispose() => StopTimer();
}
