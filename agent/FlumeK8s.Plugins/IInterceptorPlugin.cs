namespace FlumeK8s.Plugins;

/// <summary>
/// Changes or drops events before the selector routes them. Constructor:
/// <c>(IComponentSettings settings, IComponentContext context)</c>. Called on a whole batch, possibly
/// from several threads at once (one per connection of a network source): keep no per-batch state in fields.
/// </summary>
public interface IInterceptorPlugin
{
    /// <summary>Rewrites <paramref name="batch"/> in place; removing an event drops it. Events added must come from <see cref="IComponentContext.CreateEvent"/>.</summary>
    void Intercept(IList<IEvent> batch);
}
