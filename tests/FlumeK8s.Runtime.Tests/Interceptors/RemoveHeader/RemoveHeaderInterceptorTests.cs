using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Interceptors.RemoveHeader;

public sealed class RemoveHeaderInterceptorTests
{
    private static Event Sample() => Event.FromText("x", InterceptorHarness.Headers(
        ("host", "h"), ("timestamp", "1"), ("topic", "t"), ("x-trace", "1"), ("x-span", "2"), ("keep", "k")));

    [Fact]
    public void Intercept_WithName_RemovesOnlyThatHeader()
    {
        var @event = InterceptorHarness.Build("remove_header", "withName=host").RunOne(Sample());

        Assert.Equal(["timestamp", "topic", "x-trace", "x-span", "keep"], @event.Headers.Keys);
    }

    [Fact]
    public void Intercept_FromListWithDefaultSeparator_RemovesEveryListedHeader()
    {
        var @event = InterceptorHarness.Build("remove_header", "fromList=host , timestamp,topic").RunOne(Sample());

        Assert.Equal(["x-trace", "x-span", "keep"], @event.Headers.Keys);
    }

    [Fact]
    public void Intercept_FromListWithCustomSeparator_SplitsOnIt()
    {
        var @event = InterceptorHarness.Build("remove_header", "fromList=host;topic", "fromListSeparator=;").RunOne(Sample());

        Assert.Equal(["timestamp", "x-trace", "x-span", "keep"], @event.Headers.Keys);
    }

    [Fact]
    public void Intercept_Matching_RemovesHeadersWhoseWholeNameMatches()
    {
        // "x-.*" matches x-trace and x-span whole; "t.*c" matches inside "topic" but not all of "timestamp".
        var @event = InterceptorHarness.Build("remove_header", "matching=x-.*|t.*c").RunOne(Sample());

        Assert.Equal(["host", "timestamp", "keep"], @event.Headers.Keys);
    }

    [Fact]
    public void Intercept_AllRules_ApplyTogether()
    {
        var interceptor = InterceptorHarness.Build("remove_header", "withName=host", "fromList=timestamp", "matching=x-.*");

        var @event = interceptor.RunOne(Sample());

        Assert.Equal(["topic", "keep"], @event.Headers.Keys);
    }

    [Fact]
    public void Intercept_EventWithoutHeaders_StaysWithoutHeaders()
    {
        var @event = InterceptorHarness.Build("remove_header", "matching=.*").RunOne(Event.FromText("x"));

        Assert.False(@event.HasHeaders);
    }

    [Fact]
    public void Plan_InvalidMatchingRegex_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("remove_header", "withName=a", "matching=x-(");

        Assert.Equal("a1.sources.r1.matching", error.Key);
        Assert.Equal(2, error.Line);
        Assert.Contains("x-(", error.Message);
    }

    [Fact]
    public void Plan_UnbalancedMatchingRegex_IsRejectedAlthoughAnchoringWouldBalanceIt()
    {
        var error = InterceptorHarness.SingleError("remove_header", "matching=a)(b");

        Assert.Equal("a1.sources.r1.matching", error.Key);
    }

    [Fact]
    public void Plan_InvalidSeparator_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("remove_header", "fromList=a,b", "fromListSeparator=[");

        Assert.Equal("a1.sources.r1.fromListSeparator", error.Key);
    }

    [Fact]
    public void Plan_NoRule_WarnsThatNothingIsRemoved()
    {
        var (_, problems) = InterceptorHarness.Plan("remove_header");

        Assert.Empty(problems.Errors);
        Assert.Single(problems.Warnings);
    }
}
