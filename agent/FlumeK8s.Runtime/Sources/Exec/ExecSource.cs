using System.ComponentModel;
using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Exec;

/// <summary>
/// Runs a command and turns each line of its stdout into an event. Lines are batched until
/// <c>batchSize</c> lines or <c>batchTimeout</c> after the batch's first line. A batch the
/// channel refuses is retried until it is committed, and stdout is not read meanwhile: the
/// command blocks on its full pipe, which is the only backpressure a command understands.
/// With <c>restart</c> the command is run again <c>restartThrottle</c> after it ends.
/// </summary>
public sealed partial class ExecSource : ISource
{
    // A command cannot replay its output, so the wait between attempts stays short.
    private static readonly CappedBackoff ChannelRetry = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    private readonly ExecSourceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BatchDelivery _delivery;
    private readonly BackgroundWork _work = new();
    private readonly string _commandText;

    public ExecSource(string name, ExecSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "exec");
        _settings = settings;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<ExecSource>();
        _delivery = new BatchDelivery(name, processor, Counter, _time, _logger);
        _commandText = string.Join(' ', settings.CommandLine());
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _work.Start(RunAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _work.StopAsync(cancellationToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Counter.IncrementGenericProcessingFail();
                    LogReadFailed(_logger, Name, _commandText, e);
                }
                if (!_settings.Restart)
                {
                    LogNotRestarting(_logger, Name, _commandText);
                    return;
                }
                LogRestarting(_logger, Name, _commandText, _settings.RestartThrottle.TotalMilliseconds);
                await Task.Delay(_settings.RestartThrottle, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out; RunOnceAsync already killed the command.
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        ExecProcess process;
        try
        {
            process = ExecProcess.Start(_settings.CommandLine(), _settings.Charset, OnStdErr);
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            Counter.IncrementGenericProcessingFail();
            LogStartFailed(_logger, Name, _commandText, e);
            return;
        }
        using (process)
        {
            LogStarted(_logger, Name, _commandText, process.Id);
            await PumpAsync(process.Output, cancellationToken).ConfigureAwait(false);
            var exitCode = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            LogExited(_logger, Name, _commandText, exitCode);
        }
    }

    private async Task PumpAsync(StreamReader output, CancellationToken cancellationToken)
    {
        var batch = new LineBatch(_settings.BatchSize, _settings.BatchTimeout, _time);
        // At most one read is outstanding and it is never cancelled (a cancelled StreamReader read
        // leaves the reader unusable); killing the command ends it with end-of-stream instead.
        Task<string?>? read = null;
        try
        {
            while (true)
            {
                read ??= output.ReadLineAsync(CancellationToken.None).AsTask();
                if (batch.FlushDue is { } due && await Task.WhenAny(read, due).WaitAsync(cancellationToken).ConfigureAwait(false) == due)
                {
                    await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var line = await read.WaitAsync(cancellationToken).ConfigureAwait(false);
                read = null;
                if (line is null)
                {
                    break;
                }
                if (batch.Add(new EventDraft(_settings.Charset.GetBytes(line)), cancellationToken))
                {
                    await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
            await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DeliverOnceBeforeStopAsync(batch).ConfigureAwait(false);
            throw;
        }
        finally
        {
            batch.Dispose();
            ObserveAbandoned(read);
        }
    }

    private async Task FlushAsync(LineBatch batch, CancellationToken cancellationToken)
    {
        batch.StopTimer();
        if (batch.Lines.Count > 0)
        {
            await _delivery.DeliverAsync(batch.Lines, ChannelRetry, cancellationToken).ConfigureAwait(false);
            batch.Lines.Clear();
        }
    }

    // The command is being killed and cannot produce these lines again: one last attempt, bounded
    // by the channel's own keep-alive, and a loud report if the channel still refuses.
    private async Task DeliverOnceBeforeStopAsync(LineBatch batch)
    {
        if (batch.Lines.Count == 0)
        {
            return;
        }
        // A failure is counted and logged by the delivery; all that is left to say is what it cost.
        if (!await _delivery.TryDeliverAsync(batch.Lines, CancellationToken.None).ConfigureAwait(false))
        {
            LogLostOnStop(_logger, Name, batch.Lines.Count);
        }
        batch.Lines.Clear();
    }

    private static void ObserveAbandoned(Task<string?>? read) =>
        read?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private void OnStdErr(string line)
    {
        if (_settings.LogStdErr)
        {
            LogStdErr(_logger, Name, line);
        }
    }
}
