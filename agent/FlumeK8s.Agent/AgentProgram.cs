using System.Net;
using System.Runtime.InteropServices;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Plugins;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Agent;

/// <summary>
/// The agent process: load and validate the configuration (exit 2 with every problem on a broken
/// one), start the topology and the admin endpoint, hot-reload the file, and on SIGTERM/SIGINT
/// drain and stop cleanly (exit 0). With <c>--drain</c> it runs <see cref="DrainMode"/> instead.
/// </summary>
internal static partial class AgentProgram
{
    public const int ExitInvalidConfig = 2;
    public const int ExitUsage = 64;
    public const int ExitFailed = 1;
    public const int ExitDrainStalled = 3;
    public const int ExitDrainInterrupted = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = AgentOptions.Parse(args, out var usageError);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"flumek8s-agent: {usageError}\n{AgentOptions.Usage}");
            return ExitUsage;
        }
        using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
        }).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        var logger = logs.CreateLogger("flumek8s-agent");

        string text;
        try
        {
            text = await File.ReadAllTextAsync(options.ConfigFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"flumek8s-agent: cannot read {options.ConfigFile}: {e.Message}");
            return ExitInvalidConfig;
        }
        var catalog = ComponentCatalog.Default;
        if (options.PluginsDirectory is { } pluginsDirectory)
        {
            try
            {
                var plugins = PluginLoader.Load(pluginsDirectory, catalog.Aliases);
                catalog = plugins.Extend(catalog);
                foreach (var type in plugins.Types)
                {
                    LogPluginType(logger, type.Alias, type.Description);
                }
            }
            catch (PluginLoadException e)
            {
                await Console.Error.WriteLineAsync($"flumek8s-agent: the plugins in {pluginsDirectory} cannot be used:");
                foreach (var problem in e.Problems)
                {
                    await Console.Error.WriteLineAsync($"  {problem}");
                }
                return ExitInvalidConfig;
            }
        }
        var loader = new ConfigLoader(options.AgentName, Substitution.FromProcess(options.SystemProperties), catalog);
        var loaded = loader.Load(text);
        if (loaded.Plan is null)
        {
            await Console.Error.WriteLineAsync($"flumek8s-agent: {options.ConfigFile} is not a valid configuration for agent '{options.AgentName}':");
            foreach (var problem in loaded.Problems.Errors)
            {
                await Console.Error.WriteLineAsync($"  {problem}");
            }
            return ExitInvalidConfig;
        }
        foreach (var warning in loaded.Problems.Warnings)
        {
            LogConfigWarning(logger, warning.ToString());
        }

        using var shutdown = new CancellationTokenSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // We shut down ourselves, after draining.
            shutdown.Cancel();
        }

        var services = new AgentServices(options.AgentName, TimeProvider.System, () => new Random(), logs);
        using var metrics = new MetricsRegistry();
        await using var host = new AgentHost(services, metrics, options.ShutdownGrace);
        services.Readiness.Attach(() => Readiness.Check(host));
        await using var admin = new AdminServer(host, metrics, logs);
        try
        {
            if (options.Drain)
            {
                // Before anything starts, so the sources never run.
                await host.DrainAsync(shutdown.Token);
            }
            await host.ApplyAsync(loaded.Plan, shutdown.Token);
            await admin.StartAsync(IPAddress.Parse(options.HttpBind), options.HttpPort, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await host.ShutdownAsync(TimeSpan.Zero, CancellationToken.None);
            // A drain stopped before it could count is not a finished one.
            return options.Drain ? ExitDrainInterrupted : 0;
        }
        catch (Exception e)
        {
            LogStartFailed(logger, e);
            return ExitFailed;
        }
        using var otlp = options.Otlp is null ? null : new OtlpMetricsExporter(metrics, options.Otlp, options.AgentName);
        LogStarted(logger, options.AgentName, admin.Port);
        if (options.Drain)
        {
            var exit = await DrainMode.RunAsync(host, options, TimeProvider.System, logger, shutdown.Token);
            otlp?.Flush(TimeSpan.FromSeconds(5));
            return exit;
        }

        var watcher = new ConfigWatcher(options.ConfigFile, loader, host, metrics, options.ReloadInterval, TimeProvider.System, logger);
        watcher.Accept(text);
        var watching = options.Reload ? watcher.RunAsync(shutdown.Token) : Task.CompletedTask;
        var reopener = new FailedChannelReopener(host, FailedChannelReopener.DefaultInterval, FailedChannelReopener.DefaultMaxInterval, TimeProvider.System, logger);
        var reopening = reopener.RunAsync(shutdown.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or SIGINT: the normal way to stop.
        }
        await watching;
        await reopening;
        LogStopping(logger, options.ShutdownGrace.TotalSeconds);
        await host.ShutdownAsync(options.ShutdownGrace, CancellationToken.None);
        otlp?.Flush(TimeSpan.FromSeconds(5));
        LogStopped(logger);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin component {Alias}: {Description}")]
    private static partial void LogPluginType(ILogger logger, string alias, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration: {Problem}")]
    private static partial void LogConfigWarning(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The agent failed to start")]
    private static partial void LogStartFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Agent} started; admin endpoint on port {Port}")]
    private static partial void LogStarted(ILogger logger, string agent, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: sources closed, draining channels for up to {Seconds} s")]
    private static partial void LogStopping(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped cleanly")]
    private static partial void LogStopped(ILogger logger);
}
