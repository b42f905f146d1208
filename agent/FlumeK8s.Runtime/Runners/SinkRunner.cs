using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// Drives one sink processor (a lone sink or a group) on its own task. A sink that cannot start does
/// not stop the agent: the runner tries it again with growing pauses (<see cref="SinkStarts"/>) and
/// processes nothing until all its sinks run, so a group never works with a member missing.
/// A lone sink with more than one batch in flight (its <c>batches-in-flight</c>) is driven by that
/// many loops at once; a group keeps one, as its processor chooses sink by sink.
/// </summary>
public sealed class SinkRunner : ILifecycle
{
    private readonly ISinkProcessor _processor;
    private readonly PollingLoop[] _loops;
    private readonly SinkStarts _starts;
    private readonly TimeProvider _time;

    public SinkRunner(string name, ISinkProcessor processor, RunnerBackoff backoff, TimeProvider time, ILogger logger, int batchesInFlight = 1)
        : this(name, processor, backoff, ComponentRestart.Backoff, time, logger, batchesInFlight)
    {
    }

    internal SinkRunner(string name, ISinkProcessor processor, RunnerBackoff backoff, CappedBackoff startRetry, TimeProvider time, ILogger logger, int batchesInFlight = 1)
    {
        if (batchesInFlight > 1 && processor is not DefaultSinkProcessor)
        {
            throw new ArgumentException($"sink group {name} takes one batch at a time: its processor picks a sink per batch", nameof(batchesInFlight));
        }
        Name = name;
        _processor = processor;
        _time = time;
        _starts = new SinkStarts(processor.Sinks, startRetry, time, logger);
        var channels = processor.Sinks.Select(s => s.Channel).Distinct().ToArray();
        _loops = [.. Enumerable.Range(0, Math.Max(1, batchesInFlight)).Select(_ => new PollingLoop(name, PollAsync, (wait, ct) => WaitForAny(channels, wait, ct), backoff, time, logger))];
    }

    public string Name { get; }

    public ISinkProcessor Processor => _processor;

    public long Errors => _loops.Sum(l => l.Errors);

    /// <summary>How many batches the runner lets its processor have in progress at once (its loops).</summary>
    public int BatchesInFlight => _loops.Length;

    /// <summary>Null while every sink runs; otherwise the sink that cannot start yet, and why (readiness reports it).</summary>
    public string? NotStartedReason => _starts.NotStartedReason;

    /// <summary>Tries the sinks once now, so healthy ones run before the sources start; the loop retries the rest.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _starts.TryStartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            loop.Start();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Stops once the batches in progress are delivered and committed, if that takes no longer than
    /// <paramref name="finishBatchWithin"/>; then the sinks that started stop.
    /// </summary>
    public async Task StopAsync(TimeSpan finishBatchWithin, CancellationToken cancellationToken)
    {
        await Task.WhenAll(_loops.Select(l => l.StopAsync(finishBatchWithin, cancellationToken))).ConfigureAwait(false);
        foreach (var sink in _starts.Started)
        {
            await sink.StopAsync(cancellationToken).ConfigureAwait(false);
            sink.Counter.MarkStopped(_time);
        }
    }

    // While a sink waits for its next start attempt the runner idles: the loop's idle sleep (at most
    // maxBackoffSleep) paces the checks, and events arriving meanwhile stay in the channel. Once all
    // sinks run, the check completes synchronously and the processor's own task is returned as is.
    private ValueTask<PollStatus> PollAsync(CancellationToken cancellationToken)
    {
        var started = _starts.TryStartAsync(cancellationToken);
        if (!started.IsCompletedSuccessfully)
        {
            return AfterStartAsync(started, cancellationToken);
        }
        return started.Result ? _processor.ProcessAsync(cancellationToken) : new ValueTask<PollStatus>(PollStatus.Backoff);
    }

    private async ValueTask<PollStatus> AfterStartAsync(ValueTask<bool> started, CancellationToken cancellationToken) =>
        await started.ConfigureAwait(false) ? await _processor.ProcessAsync(cancellationToken).ConfigureAwait(false) : PollStatus.Backoff;

    private static Task WaitForAny(IChannel[] channels, TimeSpan wait, CancellationToken cancellationToken) =>
        channels.Length == 1
            ? channels[0].WaitToTakeAsync(wait, cancellationToken)
            : Task.WhenAny(channels.Select(c => c.WaitToTakeAsync(wait, cancellationToken)));
}
