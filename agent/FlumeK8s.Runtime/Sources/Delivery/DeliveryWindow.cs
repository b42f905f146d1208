using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// Lets a polled source hand a batch to its channels and go on reading the next one while the
/// batch's commit runs (a file channel's fsync): up to <c>limit</c> batches are in flight. Each
/// delivery starts on the caller's flow and runs until it waits, so its commit is appended while an
/// earlier one waits for its fsync, shares the next one (the file channel's group commit), and
/// batches enter a channel in the order they were read unless one had to wait for room first.
/// <para>
/// The source learns of commits in the order it handed the batches over, whatever order they
/// complete in: <c>acknowledge</c> gets batch k's mark only once batches 1..k are all committed, so
/// the progress a source saves (a file offset, a counter) never passes an uncommitted batch. When a
/// batch fails (a full channel, a write error), every batch in flight is waited for, the ones after
/// the failure are not acknowledged even if they committed, and the call answers false: the source
/// goes back to its last acknowledged mark and reads again from there. Batches after the failure that
/// did commit are then delivered twice, never lost.
/// </para>
/// <para>
/// With a limit of 1 a batch is delivered inline, exactly as without a window: the call returns when
/// it is committed or refused. Acknowledgements run on the caller's flow (inside
/// <see cref="SendAsync"/> and <see cref="SettleAsync"/>), never on a delivery's thread, so a source
/// keeps its state single-threaded. Used by one source loop at a time.
/// </para>
/// </summary>
/// <typeparam name="TMark">What the source needs to advance its progress past a batch.</typeparam>
internal sealed class DeliveryWindow<TMark>(RequestDelivery delivery, int limit, Action<TMark> acknowledge)
{
    private readonly Queue<InFlight> _inFlight = new();
    private readonly Stack<List<Event>> _spareLists = new();

    /// <summary>Batches handed over and not yet settled.</summary>
    public int Count => _inFlight.Count;

    /// <summary>
    /// Hands <paramref name="drafts"/> (copied: the caller may reuse the list at once) to the channels,
    /// after settling the batches that completed meanwhile and, when <c>limit</c> are in flight, the
    /// oldest. False when a batch failed: nothing is in flight any more, this batch was not sent, and
    /// the caller must go back to its last acknowledged mark.
    /// </summary>
    public async ValueTask<bool> SendAsync(IReadOnlyList<EventDraft> drafts, TMark mark, CancellationToken cancellationToken)
    {
        if (limit == 1)
        {
            return await DeliverInlineAsync(drafts, mark, cancellationToken).ConfigureAwait(false);
        }
        while (_inFlight.Count > 0 && (_inFlight.Count >= limit || _inFlight.Peek().Committed.IsCompleted))
        {
            if (!await SettleOldestAsync(cancellationToken).ConfigureAwait(false))
            {
                await AbandonRestAsync().ConfigureAwait(false);
                return false;
            }
        }
        var events = ToEvents(drafts);
        // Started on the caller's flow: the delivery runs until its first wait (a file channel's
        // fsync, a full channel's wait for room), so a commit is appended to the channel before the
        // next batch is read, and batches enter the channel in the order they were read.
        var committed = DeliverAsync(events, cancellationToken);
        _inFlight.Enqueue(new InFlight(committed, mark, events));
        return true;
    }

    /// <summary>
    /// Waits for every batch in flight and acknowledges them in order up to the first that failed;
    /// true when all committed. Stopping sources call it with <see cref="CancellationToken.None"/>:
    /// the deliveries end by themselves (a stop cancels their waits for room).
    /// </summary>
    public async ValueTask<bool> SettleAsync(CancellationToken cancellationToken)
    {
        while (_inFlight.Count > 0)
        {
            if (!await SettleOldestAsync(cancellationToken).ConfigureAwait(false))
            {
                await AbandonRestAsync().ConfigureAwait(false);
                return false;
            }
        }
        return true;
    }

    private async ValueTask<bool> DeliverInlineAsync(IReadOnlyList<EventDraft> drafts, TMark mark, CancellationToken cancellationToken)
    {
        var events = ToEvents(drafts);
        try
        {
            var outcome = await delivery.DeliverAsync(events, DeliveryCall.AppendBatch, cancellationToken).ConfigureAwait(false);
            if (!outcome.IsCommitted)
            {
                return false;
            }
        }
        finally
        {
            Return(events);
        }
        acknowledge(mark);
        return true;
    }

    private async ValueTask<bool> SettleOldestAsync(CancellationToken cancellationToken)
    {
        var oldest = _inFlight.Peek();
        var committed = await oldest.Committed.WaitAsync(cancellationToken).ConfigureAwait(false);
        _inFlight.Dequeue();
        Return(oldest.Events);
        if (committed)
        {
            acknowledge(oldest.Mark);
        }
        return committed;
    }

    // After a failure: the later batches still have to end (their lists are in use until then), but
    // none is acknowledged, committed or not.
    private async ValueTask AbandonRestAsync()
    {
        while (_inFlight.TryDequeue(out var batch))
        {
            await batch.Committed.ConfigureAwait(false);
            Return(batch.Events);
        }
    }

    // The answer is whether every required channel committed. A delivery
    // cancelled by the source's stop did not commit as far as the source can tell (parts of it may
    // have: they are repeated, as at-least-once allows).
    private async Task<bool> DeliverAsync(List<Event> events, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await delivery.DeliverAsync(events, DeliveryCall.AppendBatch, cancellationToken).ConfigureAwait(false);
            return outcome.IsCommitted;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private List<Event> ToEvents(IReadOnlyList<EventDraft> drafts)
    {
        var events = _spareLists.TryPop(out var spare) ? spare : new List<Event>(drafts.Count);
        EventDraft.AddEvents(drafts, events);
        return events;
    }

    private void Return(List<Event> events)
    {
        events.Clear();
        _spareLists.Push(events);
    }

    private sealed record InFlight(Task<bool> Committed, TMark Mark, List<Event> Events);
}
