namespace FlumeK8s.Plugins;

/// <summary>
/// Produces events. Constructor: <c>(IComponentSettings settings, ICountingComponentContext context)</c>.
/// The agent runs <see cref="RunAsync"/> from start until stop, cancelling the token to stop it; what
/// <see cref="ISourceOutput.DeliverAsync"/> accepted is committed to every required channel.
/// </summary>
public interface ISourcePlugin : IPluginComponent
{
    Task RunAsync(ISourceOutput output, CancellationToken cancellationToken);
}
