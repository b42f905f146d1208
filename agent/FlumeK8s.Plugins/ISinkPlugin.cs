namespace FlumeK8s.Plugins;

/// <summary>
/// Writes batches somewhere. Constructor: <c>(IComponentSettings settings, ICountingComponentContext context)</c>.
/// The agent takes up to <c>batchSize</c> events (a property it reads for you, default 100) from the
/// channel in one transaction and commits the take only when <see cref="DeliverAsync"/> returns, so
/// return only once the batch is as durable as the destination allows, and throw to have it rolled
/// back and delivered again (at least once). Calls never overlap.
/// </summary>
public interface ISinkPlugin : IPluginComponent
{
    ValueTask DeliverAsync(IReadOnlyList<IEvent> batch, CancellationToken cancellationToken);
}
