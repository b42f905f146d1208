using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Runners;

/// <summary>Drives a pollable source on its own task, backing off while it has nothing to produce.</summary>
public sealed class PollableSourceRunner(IPollableSource source, RunnerBackoff backoff, TimeProvider time, ILogger logger) : ILifecycle
{
    private readonly PollingLoop _loop = new(source.Name, source.ProcessAsync, wakeOnWork: null, backoff, time, logger);
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await source.StartAsync(cancellationToken).ConfigureAwait(false);
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _running = Task.Run(() => _loop.RunAsync(token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
        await source.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
