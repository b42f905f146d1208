using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Topology;

/// <summary>
/// Polls the configuration file and applies a changed, valid configuration to the host. An invalid
/// change is logged problem by problem, counted, and otherwise ignored: the last good topology
/// keeps running. A change is detected by content, so touching the file does not rebuild. A valid
/// change the host refuses for now (it would drop a channel still holding events) is tried again
/// at every poll until it applies.
/// </summary>
public sealed partial class ConfigWatcher(string path, ConfigLoader loader, AgentHost host, MetricsRegistry metrics,
    TimeSpan interval, TimeProvider time, ILogger logger)
{
    private string? _applied;

    /// <summary>Records the text the host currently runs, so only later changes count.</summary>
    public void Accept(string text) => _applied = text;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                await CheckOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Reads the file once and applies it if it changed. Returns true when a new topology was applied.</summary>
    public async Task<bool> CheckOnceAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogUnreadable(logger, path, e.Message);
            metrics.CountReload(false);
            return false;
        }
        if (text == _applied)
        {
            return false;
        }
        var previous = _applied;
        _applied = text;
        var result = loader.Load(text);
        if (result.Plan is null)
        {
            foreach (var problem in result.Problems.Errors)
            {
                LogRejected(logger, path, problem.ToString());
            }
            metrics.CountReload(false);
            return false;
        }
        foreach (var warning in result.Problems.Warnings)
        {
            LogWarning(logger, warning.ToString());
        }
        try
        {
            await host.ApplyAsync(result.Plan, cancellationToken).ConfigureAwait(false);
        }
        catch (ReloadRefusedException e)
        {
            // Nothing changed and the text is valid: try again at the next poll, when the channel
            // it drops may have been emptied.
            _applied = previous;
            LogRefused(logger, path, e.Message);
            metrics.CountReload(false);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogApplyFailed(logger, path, e);
            metrics.CountReload(false);
            return false;
        }
        LogReloaded(logger, path);
        metrics.CountReload(true);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reload of {Path} rejected, the running topology is kept: {Problem}")]
    private static partial void LogRejected(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration: {Problem}")]
    private static partial void LogWarning(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reload of {Path} could not start; the previous topology runs again")]
    private static partial void LogApplyFailed(ILogger logger, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reload of {Path} deferred: {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read {Path}: {Reason}; the running topology is kept")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {Path}")]
    private static partial void LogReloaded(ILogger logger, string path);
}
