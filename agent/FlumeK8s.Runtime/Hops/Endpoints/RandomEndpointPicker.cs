namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>Each batch to an endpoint drawn uniformly from those not backing off.</summary>
internal sealed class RandomEndpointPicker(IReadOnlyList<EndpointState> endpoints, Random random) : IEndpointPicker
{
    public const string Name = "random";

    public EndpointState? Pick(DateTimeOffset now)
    {
        var available = 0;
        foreach (var endpoint in endpoints)
        {
            available += endpoint.IsAvailable(now) ? 1 : 0;
        }
        if (available == 0)
        {
            return null;
        }
        int chosen;
        lock (random)
        {
            chosen = random.Next(available);
        }
        foreach (var endpoint in endpoints)
        {
            if (endpoint.IsAvailable(now) && chosen-- == 0)
            {
                return endpoint;
            }
        }
        // An endpoint's backoff changed between the two passes: take the first one still available.
        return endpoints.FirstOrDefault(e => e.IsAvailable(now));
    }
}
