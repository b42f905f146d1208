namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// An endpoint and its backoff: after a failure it sits out until a time the balancer sets; a
/// success clears it. Kept across rebuilds of the endpoint set, so rediscovering an endpoint does
/// not forgive its failures.
/// </summary>
public sealed class EndpointState(HopEndpoint endpoint)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset _excludedUntil = DateTimeOffset.MinValue;

    public HopEndpoint Endpoint => endpoint;

    public int ConsecutiveFailures
    {
        get
        {
            lock (_gate)
            {
                return _failures;
            }
        }
    }

    public DateTimeOffset ExcludedUntil
    {
        get
        {
            lock (_gate)
            {
                return _excludedUntil;
            }
        }
    }

    public bool IsAvailable(DateTimeOffset now) => ExcludedUntil <= now;

    /// <summary>Counts a failure; returns how many in a row, for the backoff to size the pause.</summary>
    internal int CountFailure()
    {
        lock (_gate)
        {
            return ++_failures;
        }
    }

    internal void ExcludeUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            _excludedUntil = until;
        }
    }

    internal void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _excludedUntil = DateTimeOffset.MinValue;
        }
    }

    public override string ToString() => endpoint.ToString();
}
