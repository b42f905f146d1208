using FlumeK8s.Plugins;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>Stops a plugin component and then disposes it, as the API promises, whichever disposal it supports.</summary>
internal static class PluginLifecycle
{
    public static async Task StopAndDisposeAsync(IPluginComponent component, CancellationToken cancellationToken)
    {
        try
        {
            await component.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (component is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (component is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }
}
