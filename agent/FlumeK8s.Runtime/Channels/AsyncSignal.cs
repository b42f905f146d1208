namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// A wake-up for waiters on a condition guarded by the owner's lock. A waiter calls
/// <see cref="Observe"/> under that lock before checking the condition, then waits on the task it got
/// outside the lock; a changer changes the state under the lock and calls <see cref="Pulse"/> after.
/// Observing before checking means no wake-up is ever lost. Pulses nobody observed cost nothing,
/// so the hot path allocates only when someone actually sleeps.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _pulse = NewSource();
    private volatile bool _observed;

    /// <summary>The task the next pulse completes. Call under the owner's lock, before checking the condition.</summary>
    public Task Observe()
    {
        _observed = true;
        return _pulse.Task;
    }

    public void Pulse()
    {
        if (!_observed)
        {
            return;
        }
        _observed = false;
        Interlocked.Exchange(ref _pulse, NewSource()).TrySetResult();
    }

    /// <summary>
    /// Completes at once when <paramref name="ready"/> (checked under <paramref name="gate"/>) is true,
    /// else at the next pulse or after <paramref name="maxWait"/>.
    /// </summary>
    public Task WaitUnlessAsync(object gate, Func<bool> ready, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        Task pulse;
        lock (gate)
        {
            pulse = Observe();
            if (ready())
            {
                return Task.CompletedTask;
            }
        }
        return WaitAsync(pulse, maxWait, time, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="tryNow"/> under <paramref name="gate"/> until it succeeds, waiting for a
    /// pulse between attempts, for at most <paramref name="maxWait"/>; false when the time ran out.
    /// The pulse is observed in the same lock as the attempt, so a change between attempt and wait is
    /// never missed, and the common case (room at once) costs one lock acquisition.
    /// </summary>
    /// <remarks>The attempt takes its state as an argument so callers pass static lambdas: no allocation per call.</remarks>
    public async ValueTask<bool> WaitUntilAsync<TState>(object gate, Func<TState, bool> tryNow, TState state, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            Task pulse;
            lock (gate)
            {
                pulse = Observe();
                if (tryNow(state))
                {
                    return true;
                }
            }
            var waited = time.GetElapsedTime(started);
            if (waited >= maxWait)
            {
                return false;
            }
            await WaitAsync(pulse, maxWait - waited, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for <paramref name="pulse"/> up to <paramref name="maxWait"/>; timing out is an answer, not an error.</summary>
    public static async Task WaitAsync(Task pulse, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        if (pulse.IsCompleted || maxWait <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await pulse.WaitAsync(maxWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The caller re-checks its condition either way.
        }
    }

    // Continuations never run inline on the pulsing thread.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
