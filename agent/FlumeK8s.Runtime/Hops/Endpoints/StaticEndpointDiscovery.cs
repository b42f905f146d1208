namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>A fixed list of endpoints, published once.</summary>
internal sealed class StaticEndpointDiscovery(IReadOnlyList<HopEndpoint> endpoints) : IEndpointDiscovery
{
    public Task StartAsync(Action<IReadOnlyList<HopEndpoint>> publish, CancellationToken cancellationToken)
    {
        publish(endpoints);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
