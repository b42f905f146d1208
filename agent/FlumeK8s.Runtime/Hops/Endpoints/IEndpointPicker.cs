namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// A balancing policy over one immutable snapshot of the endpoints: no I/O, no locks on the set;
/// the balancer builds a new picker whenever the set changes.
/// </summary>
public interface IEndpointPicker
{
    /// <summary>The endpoint for the next batch among those not backing off at <paramref name="now"/>; null when every one is.</summary>
    EndpointState? Pick(DateTimeOffset now);
}
