namespace FlumeK8s.Runtime;

/// <summary>Something the agent starts and stops. Start order is channels, sinks, sources; stop is the reverse.</summary>
public interface ILifecycle
{
    Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
