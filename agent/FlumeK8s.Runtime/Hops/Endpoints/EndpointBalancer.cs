using FlumeK8s.Runtime.Backoff;

namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// Chooses an endpoint per batch (not per connection: HTTP/2 connections live long, and a sender
/// must not stay pinned to one receiver) and keeps each endpoint's backoff. A change of the set
/// builds a new picker over a new snapshot; endpoints that stay keep their state, new ones get
/// traffic from the next batch on.
/// </summary>
public sealed class EndpointBalancer
{
    private readonly string _selector;
    private readonly CappedBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _updateGate = new();
    private EndpointState[] _endpoints = [];
    private IEndpointPicker _picker;

    public EndpointBalancer(string selector, CappedBackoff backoff, TimeProvider time, Random random)
    {
        _selector = selector;
        _backoff = backoff;
        _time = time;
        _random = random;
        _picker = CreatePicker([]);
    }

    public static IReadOnlyList<string> Selectors { get; } = [RoundRobinEndpointPicker.Name, RandomEndpointPicker.Name];

    public IReadOnlyList<EndpointState> Endpoints => Volatile.Read(ref _endpoints);

    public void Update(IReadOnlyList<HopEndpoint> endpoints)
    {
        lock (_updateGate)
        {
            var known = _endpoints.ToDictionary(e => e.Endpoint);
            EndpointState[] next = [.. endpoints.Distinct().Select(e => known.GetValueOrDefault(e) ?? new EndpointState(e))];
            var picker = CreatePicker(next);
            // Endpoints before picker: a reader never sees a picker over endpoints it cannot list.
            Volatile.Write(ref _endpoints, next);
            Volatile.Write(ref _picker, picker);
        }
    }

    public EndpointState? Pick() => Volatile.Read(ref _picker).Pick(_time.GetUtcNow());

    public void ReportSuccess(EndpointState endpoint) => endpoint.Succeeded();

    /// <summary>Excludes the endpoint for its next backoff; returns how long.</summary>
    public TimeSpan ReportFailure(EndpointState endpoint)
    {
        var failures = endpoint.CountFailure();
        TimeSpan pause;
        lock (_random)
        {
            pause = _backoff.Delay(failures, _random);
        }
        endpoint.ExcludeUntil(_time.GetUtcNow() + pause);
        return pause;
    }

    private IEndpointPicker CreatePicker(EndpointState[] endpoints)
    {
        if (_selector == RandomEndpointPicker.Name)
        {
            return new RandomEndpointPicker(endpoints, _random);
        }
        int start;
        lock (_random)
        {
            start = _random.Next();
        }
        return new RoundRobinEndpointPicker(endpoints, start);
    }
}
