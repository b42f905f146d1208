using System.Net;

namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>Name to addresses; injectable so discovery can be tested without DNS.</summary>
public interface IHostResolver
{
    /// <summary>Every address of <paramref name="name"/>; empty when the name does not exist (no ready pods behind a headless Service).</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string name, CancellationToken cancellationToken);
}
