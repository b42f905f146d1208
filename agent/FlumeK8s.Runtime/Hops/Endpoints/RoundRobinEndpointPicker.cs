namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>Each batch to the next endpoint in turn, skipping those backing off. Starts at a random place so senders do not move in step.</summary>
internal sealed class RoundRobinEndpointPicker(IReadOnlyList<EndpointState> endpoints, int start) : IEndpointPicker
{
    public const string Name = "round_robin";

    private int _next = start;

    public EndpointState? Pick(DateTimeOffset now)
    {
        var count = endpoints.Count;
        var first = (uint)Interlocked.Increment(ref _next);
        for (var i = 0; i < count; i++)
        {
            var candidate = endpoints[(int)((first + (uint)i) % (uint)count)];
            if (candidate.IsAvailable(now))
            {
                return candidate;
            }
        }
        return null;
    }
}
