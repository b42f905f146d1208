using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Processors;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Runners;

/// <summary>Drives one sink processor (a lone sink or a group) on its own task.</summary>
public sealed class SinkRunner : ILifecycle
{
    private readonly ISinkProcessor _processor;
    private readonly PollingLoop _loop;
    private readonly TimeProvider _time;

    public SinkRunner(string name, ISinkProcessor processor, RunnerBackoff backoff, TimeProvider time, ILogger logger)
    {
        Name = name;
        _processor = processor;
        _time = time;
        var channels = processor.Sinks.Select(s => s.Channel).Distinct().ToArray();
        _loop = new PollingLoop(name, processor.ProcessAsync, (wait, ct) => WaitForAny(channels, wait, ct), backoff, time, logger);
    }

    public string Name { get; }

    public ISinkProcessor Processor => _processor;

    public long Errors => _loop.Errors;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var sink in _processor.Sinks)
        {
            await sink.StartAsync(cancellationToken).ConfigureAwait(false);
            sink.Counter.MarkStarted(_time);
        }
        _loop.Start();
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Stops once the batch in progress is delivered and committed, if that takes no longer than
    /// <paramref name="finishBatchWithin"/>; then the sinks stop.
    /// </summary>
    public async Task StopAsync(TimeSpan finishBatchWithin, CancellationToken cancellationToken)
    {
        await _loop.StopAsync(finishBatchWithin, cancellationToken).ConfigureAwait(false);
        foreach (var sink in _processor.Sinks)
        {
            await sink.StopAsync(cancellationToken).ConfigureAwait(false);
            sink.Counter.MarkStopped(_time);
        }
    }

    private static Task WaitForAny(IChannel[] channels, TimeSpan wait, CancellationToken cancellationToken) =>
        channels.Length == 1
            ? channels[0].WaitToTakeAsync(wait, cancellationToken)
            : Task.WhenAny(channels.Select(c => c.WaitToTakeAsync(wait, cancellationToken)));
}
