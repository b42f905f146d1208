using System.Net;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors.Host;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Interceptors.Host;

public sealed class HostInterceptorTests
{
    [Fact]
    public void Intercept_Defaults_SetsHostToTheLocalAddress()
    {
        var @event = InterceptorHarness.Build("host").RunOne(Event.FromText("x"));

        Assert.True(IPAddress.TryParse(@event.GetHeader("host"), out _), $"'{@event.GetHeader("host")}' is not an IP address");
        Assert.Equal(LocalHost.Resolve(useIp: true, NullLogger.Instance), @event.GetHeader("host"));
    }

    [Fact]
    public void Intercept_UseIpFalse_SetsTheCanonicalHostName()
    {
        var @event = InterceptorHarness.Build("host", "useIP=false", "hostHeader=agentHost").RunOne(Event.FromText("x"));

        Assert.Equal(LocalHost.Resolve(useIp: false, NullLogger.Instance), @event.GetHeader("agentHost"));
        Assert.False(IPAddress.TryParse(@event.GetHeader("agentHost"), out _));
    }

    [Fact]
    public void Intercept_ExistingHeaderByDefault_IsOverwritten()
    {
        var interceptor = new HostInterceptor(new HostInterceptorSettings("host", UseIp: true, PreserveExisting: false), "10.0.0.7");

        var @event = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("host", "upstream"))));

        Assert.Equal("10.0.0.7", @event.GetHeader("host"));
    }

    [Fact]
    public void Intercept_PreserveExisting_KeepsTheUpstreamHost()
    {
        var interceptor = new HostInterceptor(new HostInterceptorSettings("host", UseIp: true, PreserveExisting: true), "10.0.0.7");

        var kept = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("host", "upstream"))));
        var added = interceptor.RunOne(Event.FromText("y"));

        Assert.Equal("upstream", kept.GetHeader("host"));
        Assert.Equal("10.0.0.7", added.GetHeader("host"));
    }

    [Fact]
    public void Intercept_HostUnresolved_PassesEventsUnchanged()
    {
        var interceptor = new HostInterceptor(new HostInterceptorSettings("host", UseIp: true, PreserveExisting: false), host: null);

        var @event = interceptor.RunOne(Event.FromText("x"));

        Assert.False(@event.HasHeaders);
    }
}
