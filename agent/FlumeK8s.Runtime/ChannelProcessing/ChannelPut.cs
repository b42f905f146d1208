using System.Diagnostics;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.ChannelProcessing;

/// <summary>
/// Writes a batch to one or more channels in rounds. Each round opens one transaction per channel
/// that has events left, holding at most that channel's current <c>transactionCapacity</c>, so a
/// batch larger than a channel's transactions is still accepted: it is committed in parts.
/// <para>
/// A round is all or nothing where the channels allow it: every transaction is prepared (room
/// held; a full channel or a low disk refuses here) before any commits, and a refusal rolls the
/// whole round back. What can still leave part of a round committed is a commit that fails after
/// another channel's commit in the same round succeeded: a write error in a file channel, or a
/// Kafka channel refusing at commit (Kafka cannot hold room ahead, so such a channel commits
/// first; with two of them the second can still refuse after the first committed).
/// </para>
/// <para>
/// Rounds already committed stay committed when a later round fails, and the caller's retry of
/// the whole batch writes them again: delivery is at least once, never lost.
/// </para>
/// </summary>
internal static class ChannelPut
{
    public static async ValueTask PutAsync(IReadOnlyList<(IChannel Channel, List<Event> Events)> batches, CancellationToken cancellationToken)
    {
        var parts = new Part[batches.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = new Part(batches[i].Channel, batches[i].Events);
        }
        while (await PutRoundAsync(parts, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Puts the next part of every batch with events left; false when none had any.</summary>
    private static async ValueTask<bool> PutRoundAsync(Part[] parts, CancellationToken cancellationToken)
    {
        var open = 0;
        IChannelTransaction? last = null;
        try
        {
            foreach (var part in parts)
            {
                if (part.Open())
                {
                    open++;
                    last = part.Transaction;
                }
            }
            if (last is null)
            {
                return false;
            }
            if (open == 1)
            {
                // Nothing to coordinate: the commit prepares by itself.
                await last.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CommitTogetherAsync(parts, cancellationToken).ConfigureAwait(false);
            }
            foreach (var part in parts)
            {
                part.Advance();
            }
            return true;
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Close();
            }
        }
    }

    private static async ValueTask CommitTogetherAsync(Part[] parts, CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            if (part.Transaction is { } transaction)
            {
                part.HoldsRoom = await transaction.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        // Channels that still decide at commit go first: if one refuses, nothing is committed yet.
        await CommitWhereAsync(parts, holdsRoom: false, cancellationToken).ConfigureAwait(false);
        await CommitWhereAsync(parts, holdsRoom: true, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask CommitWhereAsync(Part[] parts, bool holdsRoom, CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            if (part.Transaction is { } transaction && part.HoldsRoom == holdsRoom)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One channel's batch and how far it got.</summary>
    private sealed class Part(IChannel channel, List<Event> events)
    {
        private int _written;
        private int _size;

        public IChannelTransaction? Transaction { get; private set; }

        public bool HoldsRoom { get; set; }

        /// <summary>Opens a transaction holding the next events, as many as the channel's transaction takes; false when none are left.</summary>
        public bool Open()
        {
            var capacity = channel.TransactionCapacity;
            Debug.Assert(capacity > 0, "settings validation keeps transactionCapacity positive");
            _size = Math.Min(events.Count - _written, capacity);
            if (_size == 0)
            {
                return false;
            }
            Transaction = channel.BeginTransaction();
            Transaction.PutBatch(_size == events.Count ? events : events.GetRange(_written, _size));
            return true;
        }

        public void Advance()
        {
            if (Transaction is not null)
            {
                _written += _size;
            }
        }

        /// <summary>Disposing rolls back a transaction the round did not commit.</summary>
        public void Close()
        {
            Transaction?.Dispose();
            Transaction = null;
            HoldsRoom = false;
        }
    }
}
