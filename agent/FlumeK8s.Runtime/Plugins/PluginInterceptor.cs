using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>A plugin's <see cref="IInterceptorPlugin"/> in a source's interceptor chain; the batch is shared, not copied.</summary>
internal sealed class PluginInterceptor(IInterceptorPlugin plugin) : IInterceptor
{
    public void Intercept(List<Event> batch) => plugin.Intercept(new EventListView(batch));
}
