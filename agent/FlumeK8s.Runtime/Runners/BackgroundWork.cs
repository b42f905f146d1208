namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// One piece of work run on the thread pool from a start until a stop: the stop cancels it and
/// waits for it to finish, so a component is quiet once its StopAsync returns. Used by the
/// runners and by every source that runs its own loop (a reader, a receive or accept loop).
/// Start and stop are called by the component's owner one at a time, never concurrently.
/// </summary>
internal sealed class BackgroundWork
{
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;

    public void Start(Func<CancellationToken, Task> work)
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        // Not Task.Run(work, token): the work must always run, so that it is what observes the token.
        _running = Task.Run(() => work(token), CancellationToken.None);
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopAsync(onCancelled: null, cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="within"/> for the work to end by itself (asked to by other means
    /// than the stop's cancellation); false when it is still running.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan within, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await _running.WaitAsync(within, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <param name="onCancelled">
    /// Runs after cancelling and before waiting: closing a socket there ends a pending receive or
    /// accept at once, whatever the socket does with the token.
    /// </param>
    /// <param name="cancellationToken">Gives up waiting (the work keeps its cancellation); a later stop waits again.</param>
    public async Task StopAsync(Action? onCancelled, CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        onCancelled?.Invoke();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
    }
}
