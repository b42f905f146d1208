using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Interceptors.Timestamp;

public sealed class TimestampInterceptorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(Now);

    [Fact]
    public void Intercept_Defaults_SetsTimestampHeaderToEpochMillisFromTheAgentClock()
    {
        var interceptor = InterceptorHarness.Build("timestamp", AgentServices.ForTests(time: _time));

        var @event = interceptor.RunOne(Event.FromText("x"));

        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(), @event.GetHeader("timestamp"));
        Assert.Equal("1767323045678", @event.GetHeader("timestamp"));
    }

    [Fact]
    public void Intercept_ClockAdvances_EachEventGetsTheCurrentTime()
    {
        var interceptor = InterceptorHarness.Build("timestamp", AgentServices.ForTests(time: _time));

        var first = interceptor.RunOne(Event.FromText("a"));
        _time.Advance(TimeSpan.FromSeconds(2));
        var second = interceptor.RunOne(Event.FromText("b"));

        Assert.Equal(2000, long.Parse(second.GetHeader("timestamp")!) - long.Parse(first.GetHeader("timestamp")!));
    }

    [Fact]
    public void Intercept_ExistingHeaderByDefault_IsOverwritten()
    {
        var interceptor = InterceptorHarness.Build("timestamp", AgentServices.ForTests(time: _time), "headerName=ts");

        var @event = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("ts", "1"))));

        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(), @event.GetHeader("ts"));
    }

    [Fact]
    public void Intercept_PreserveExisting_KeepsTheExistingValue()
    {
        var interceptor = InterceptorHarness.Build("timestamp", AgentServices.ForTests(time: _time), "preserveExisting=true");

        var kept = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("timestamp", "1"))));
        var added = interceptor.RunOne(Event.FromText("y"));

        Assert.Equal("1", kept.GetHeader("timestamp"));
        Assert.NotNull(added.GetHeader("timestamp"));
    }

    [Fact]
    public void Plan_PreserveExistingNotABoolean_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("timestamp", "preserveExisting=maybe");

        Assert.Equal("a1.sources.r1.preserveExisting", error.Key);
        Assert.Equal(1, error.Line);
    }
}
