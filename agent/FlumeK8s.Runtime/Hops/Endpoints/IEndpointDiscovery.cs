namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>Finds the endpoints and reports every change of the set to the balancer.</summary>
public interface IEndpointDiscovery
{
    /// <summary>Publishes the first set (as far as it can be known) before returning, then keeps it current until stopped.</summary>
    Task StartAsync(Action<IReadOnlyList<HopEndpoint>> publish, CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}
