namespace FlumeK8s.Plugins;

/// <summary>
/// Started and stopped by the agent (channels, then sinks, then sources; stop in reverse). The
/// constructor, <c>(IComponentSettings, …Context)</c>, only reads and checks settings: the agent also
/// builds a component to validate a configuration it may never run, so I/O belongs in
/// <see cref="StartAsync"/>. A component that is <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>
/// is disposed after it stops.
/// </summary>
public interface IPluginComponent
{
    Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
