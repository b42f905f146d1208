using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Runners;
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
    public static readonly TimeSpan DefaultInterval = ComponentRestart.Backoff.First;
    public static readonly TimeSpan DefaultMaxInterval = ComponentRestart.Backoff.Max;

    private readonly CappedBackoff _retry = new(interval, maxInterval);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failedRounds = 0; // rounds in a row that left a channel failing
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_retry.Delay(failedRounds + 1), time, cancellationToken).ConfigureAwait(false);
                var reopened = await host.ReopenFailedChannelsAsync(cancellationToken).ConfigureAwait(false);
                var stillFailing = host.Channels.Values.Where(c => c.NeedsReopen).Select(c => c.Name).ToList();
                foreach (var name in reopened.Except(stillFailing))
                {
                    LogHealed(logger, name);
                }
                failedRounds = stillFailing.Count == 0 ? 0 : failedRounds + 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The host is broken now (liveness says so); keep trying in case the cause goes away.
                LogReopenFailed(logger, e);
                failedRounds++;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel} reopened and serving again")]
    private static partial void LogHealed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reopening failed channels failed")]
    private static partial void LogReopenFailed(ILogger logger, Exception error);
}
