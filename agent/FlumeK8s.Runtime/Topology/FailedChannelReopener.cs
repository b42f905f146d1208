using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Topology;

/// <summary>
/// Asks the host, periodically, to reopen channels that failed in a way only reopening repairs
/// (see <see cref="AgentHost.ReopenFailedChannelsAsync"/>). While a reopened channel keeps failing
/// (the disk is still full) the interval doubles, so a broken disk does not restart the topology
/// every few seconds; a healthy topology resets it.
/// </summary>
public sealed partial class FailedChannelReopener(AgentHost host, TimeSpan interval, TimeSpan maxInterval, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromMinutes(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var wait = interval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                var reopened = await host.ReopenFailedChannelsAsync(cancellationToken).ConfigureAwait(false);
                var stillFailing = host.Channels.Values.Where(c => c.NeedsReopen).Select(c => c.Name).ToList();
                foreach (var name in reopened.Except(stillFailing))
                {
                    LogHealed(logger, name);
                }
                wait = stillFailing.Count == 0 ? interval : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, maxInterval.Ticks));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The host is broken now (liveness says so); keep trying in case the cause goes away.
                LogReopenFailed(logger, e);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, maxInterval.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel} reopened and serving again")]
    private static partial void LogHealed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reopening failed channels failed")]
    private static partial void LogReopenFailed(ILogger logger, Exception error);
}
