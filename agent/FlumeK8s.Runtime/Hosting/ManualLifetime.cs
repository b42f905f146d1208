using Microsoft.Extensions.Hosting;

namespace FlumeK8s.Runtime.Hosting;

/// <summary>
/// A host lifetime that ignores console signals: the agent owns SIGTERM, and the admin endpoint
/// must keep answering (with /readyz false) while the agent drains.
/// </summary>
internal sealed class ManualLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
