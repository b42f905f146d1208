using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Runners;

/// <summary>Drives a pollable source on its own task, backing off while it has nothing to produce.</summary>
public sealed class PollableSourceRunner(IPollableSource source, RunnerBackoff backoff, TimeProvider time, ILogger logger) : ILifecycle
{
    private readonly PollingLoop _loop = new(source.Name, source.ProcessAsync, wakeOnWork: null, backoff, time, logger);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await source.StartAsync(cancellationToken).ConfigureAwait(false);
        _loop.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _loop.StopAsync(cancellationToken).ConfigureAwait(false);
        await source.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
