using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Agent;

/// <summary>
/// <c>flumek8s-agent --drain</c>: the configuration's channels and sinks without its sources, until
/// every channel is empty; for a file channel left on a claim no pod uses any more, run by a Job
/// with the tier's configuration. Exits 0 once empty; <see cref="AgentProgram.ExitDrainStalled"/>
/// when no event left for <c>--drain-stall</c> while some remain (the next tier is down: the Job
/// retries); <see cref="AgentProgram.ExitDrainInterrupted"/> when stopped by a signal before empty.
/// Whatever is left stays in the channel's files for the next run.
/// </summary>
internal static partial class DrainMode
{
    public static async Task<int> RunAsync(AgentHost host, AgentOptions options, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        var channels = host.Channels.Values.ToList();
        LogDraining(logger, channels.Sum(c => c.EventsHeld), Describe(channels), options.DrainStall.TotalSeconds);
        long left;
        try
        {
            left = await ChannelDrain.WaitAsync(channels, TimeSpan.MaxValue, options.DrainStall, time, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped from outside (the Job was deleted, the node drained): a clean stop, as the agent's own.
            LogInterrupted(logger, Describe(channels), options.ShutdownGrace.TotalSeconds);
            return await host.ShutdownAsync(options.ShutdownGrace, CancellationToken.None) == 0 ? 0 : AgentProgram.ExitDrainInterrupted;
        }
        if (left > 0)
        {
            LogStalled(logger, options.DrainStall.TotalSeconds, left, Describe(channels));
            await host.ShutdownAsync(TimeSpan.Zero, CancellationToken.None);
            return AgentProgram.ExitDrainStalled;
        }
        await host.ShutdownAsync(options.ShutdownGrace, CancellationToken.None);
        // The sinks started with the channels, so some events were gone before the first count.
        LogDrained(logger, channels.Sum(c => c.Counter.TakeSuccesses));
        return 0;
    }

    private static string Describe(List<IChannel> channels) =>
        string.Join(", ", channels.Select(c => $"{c.Name} ({c.EventsHeld})"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining, sources not started; {Events} events left: {Channels}; giving up after {Seconds} s without progress")]
    private static partial void LogDraining(ILogger logger, long events, string channels, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained {Events} events; every channel is empty")]
    private static partial void LogDrained(ILogger logger, long events);

    [LoggerMessage(Level = LogLevel.Error, Message = "Drain stalled: no event left the channels for {Seconds} s and {Events} remain: {Channels}. They stay in the channels for the next run")]
    private static partial void LogStalled(ILogger logger, double seconds, long events, string channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain interrupted with events left: {Channels}; stopping, sinks draining for up to {Seconds} s")]
    private static partial void LogInterrupted(ILogger logger, string channels, double seconds);
}
