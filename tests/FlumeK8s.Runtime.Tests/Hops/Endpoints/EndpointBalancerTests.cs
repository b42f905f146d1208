using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Endpoints;

public sealed class EndpointBalancerTests
{
    private static readonly HopEndpoint A = new("10.0.0.1", 4141, "svc");
    private static readonly HopEndpoint B = new("10.0.0.2", 4141, "svc");
    private static readonly HopEndpoint C = new("10.0.0.3", 4141, "svc");

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Pick_RoundRobin_EveryEndpointInTurn()
    {
        var balancer = Balancer("round_robin", A, B, C);

        var picks = Enumerable.Range(0, 300).Select(_ => balancer.Pick()!.Endpoint).ToList();

        Assert.All(new[] { A, B, C }, e => Assert.Equal(100, picks.Count(p => p == e)));
        Assert.NotEqual(picks[0], picks[1]);
    }

    [Fact]
    public void Pick_Random_RoughlyEvenAndOnlyAvailableOnes()
    {
        var balancer = Balancer("random", A, B, C);
        balancer.ReportFailure(balancer.Endpoints[1]);

        var picks = Enumerable.Range(0, 3000).Select(_ => balancer.Pick()!.Endpoint).ToList();

        Assert.DoesNotContain(B, picks);
        Assert.InRange(picks.Count(p => p == A), 1300, 1700);
    }

    [Fact]
    public void ReportFailure_ExcludesForAnExponentialCappedPause_SuccessClearsIt()
    {
        var balancer = Balancer("round_robin", A);
        var a = balancer.Endpoints[0];

        var pauses = Enumerable.Range(0, 8).Select(_ => balancer.ReportFailure(a)).ToList();

        Assert.InRange(pauses[0].TotalMilliseconds, 800, 1200);
        Assert.InRange(pauses[1].TotalMilliseconds, 1600, 2400);
        Assert.InRange(pauses[2].TotalMilliseconds, 3200, 4800);
        Assert.All(pauses.Skip(5), p => Assert.InRange(p.TotalMilliseconds, 8000, 10_000));
        Assert.Null(balancer.Pick());

        _time.Advance(pauses[^1]);
        Assert.Same(a, balancer.Pick());
        balancer.ReportSuccess(a);
        Assert.Equal(0, a.ConsecutiveFailures);
        Assert.InRange(balancer.ReportFailure(a).TotalMilliseconds, 800, 1200);
    }

    [Fact]
    public void Update_SetChanges_NewEndpointsGetTrafficAtOnceAndKnownOnesKeepTheirBackoff()
    {
        var balancer = Balancer("round_robin", A, B);
        var b = balancer.Endpoints[1];
        balancer.ReportFailure(b);

        balancer.Update([A, B, C]);
        var picks = Enumerable.Range(0, 10).Select(_ => balancer.Pick()!.Endpoint).ToList();

        Assert.Same(b, balancer.Endpoints[1]);
        Assert.Contains(C, picks);
        Assert.DoesNotContain(B, picks);

        balancer.Update([C]);
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(C, balancer.Pick()!.Endpoint));
        balancer.Update([]);
        Assert.Null(balancer.Pick());
    }

    private EndpointBalancer Balancer(string selector, params HopEndpoint[] endpoints)
    {
        var balancer = new EndpointBalancer(selector, new CappedBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), Jitter: 0.2), _time, new Random(7));
        balancer.Update(endpoints);
        return balancer;
    }
}
