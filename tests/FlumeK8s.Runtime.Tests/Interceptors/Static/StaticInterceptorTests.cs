using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Interceptors.Static;

public sealed class StaticInterceptorTests
{
    [Fact]
    public void Intercept_Defaults_AddsKeyEqualsValue()
    {
        var @event = InterceptorHarness.Build("static").RunOne(Event.FromText("x"));

        Assert.Equal("value", @event.GetHeader("key"));
    }

    [Fact]
    public void Intercept_ExistingHeaderByDefault_IsPreserved()
    {
        var interceptor = InterceptorHarness.Build("static", "key=datacenter", "value=NYC_01");

        var kept = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("datacenter", "SFO"))));
        var added = interceptor.RunOne(Event.FromText("y"));

        Assert.Equal("SFO", kept.GetHeader("datacenter"));
        Assert.Equal("NYC_01", added.GetHeader("datacenter"));
    }

    [Fact]
    public void Intercept_PreserveExistingFalse_Overwrites()
    {
        var interceptor = InterceptorHarness.Build("static", "key=datacenter", "value=NYC_01", "preserveExisting=false");

        var @event = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("datacenter", "SFO"))));

        Assert.Equal("NYC_01", @event.GetHeader("datacenter"));
    }
}
