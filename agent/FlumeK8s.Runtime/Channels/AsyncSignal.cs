namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// A pulse that wakes every current waiter. Waiters that arrive after a pulse wait for the next
/// one, so callers re-check their condition after waking.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _pulse = NewSource();

    public Task WaitAsync(TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        var pulse = Volatile.Read(ref _pulse).Task;
        return pulse.IsCompleted ? Task.CompletedTask : WaitCoreAsync(pulse, maxWait, time, cancellationToken);
    }

    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _pulse, NewSource());
        previous.TrySetResult();
    }

    private static async Task WaitCoreAsync(Task pulse, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await pulse.WaitAsync(maxWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Timing out is an answer, not an error: the caller re-checks its condition.
        }
    }

    // Continuations never run inline on the pulsing thread, which may hold a lock.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
