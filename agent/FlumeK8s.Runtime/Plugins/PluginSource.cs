using FlumeK8s.Plugins;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// A plugin's <see cref="ISourcePlugin"/> as an event-driven agent source: its run loop goes from
/// start to stop, and each batch it delivers goes through the interceptors and selector, counted as
/// every source's is. A refused batch reaches the plugin as <see cref="DeliveryRefusedException"/>.
/// </summary>
internal sealed partial class PluginSource : ISource, ISourceOutput
{
    private readonly ISourcePlugin _plugin;
    private readonly ChannelProcessor _processor;
    private readonly ILogger _logger;
    private CancellationTokenSource? _stopping;
    private Task _running = Task.CompletedTask;

    public PluginSource(SourceBuild build, IReadOnlyList<string> counters, Func<PluginComponentContext, ISourcePlugin> create)
    {
        Name = build.Name;
        _processor = build.Processor;
        _logger = build.Services.Logs.CreateLogger<PluginSource>();
        Counter = new SourceCounter(build.Name, build.Type, counters);
        _plugin = create(new PluginComponentContext(build.Name, build.Services.AgentName, build.Services.Time, build.Services.Logs, Counter));
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _plugin.StartAsync(cancellationToken).ConfigureAwait(false);
        _stopping = new CancellationTokenSource();
        _running = RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is { } stopping)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
            stopping.Dispose();
            _stopping = null;
        }
        await PluginLifecycle.StopAndDisposeAsync(_plugin, cancellationToken).ConfigureAwait(false);
    }

    public IEvent CreateEvent(byte[] body, IReadOnlyDictionary<string, string>? headers = null) => PluginComponentContext.NewEvent(body, headers);

    public async ValueTask DeliverAsync(IReadOnlyList<IEvent> events, CancellationToken cancellationToken)
    {
        // The processor owns the list it is given (interceptors drop from it), so it gets its own.
        var batch = new List<Event>(events.Count);
        foreach (var e in events)
        {
            batch.Add(PluginComponentContext.ToEvent(e));
        }
        Counter.AddEventsReceived(batch.Count);
        Counter.IncrementAppendBatchReceived();
        try
        {
            await _processor.ProcessBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException e)
        {
            Counter.IncrementChannelWriteFail();
            throw new DeliveryRefusedException($"Source {Name}: {e.Message}", e);
        }
        Counter.AddEventsAccepted(events.Count);
        Counter.IncrementAppendBatchAccepted();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await _plugin.RunAsync(this, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped: the normal end.
        }
        catch (Exception e)
        {
            Counter.IncrementGenericProcessingFail();
            LogRunFailed(_logger, Name, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Plugin source {Source} stopped with an error; it runs again at the next start")]
    private static partial void LogRunFailed(ILogger logger, string source, Exception error);
}
