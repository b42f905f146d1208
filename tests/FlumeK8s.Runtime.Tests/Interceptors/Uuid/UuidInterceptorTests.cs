using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Interceptors.Uuid;

public sealed class UuidInterceptorTests
{
    [Fact]
    public void Intercept_Defaults_SetsIdToADistinctLowerCaseVersion4Uuid()
    {
        var interceptor = InterceptorHarness.Build("uuid");

        var ids = interceptor.Run([.. Enumerable.Range(0, 100).Select(i => Event.FromText(i.ToString()))])
            .Select(e => e.GetHeader("id")!).ToList();

        Assert.Equal(100, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        });
    }

    [Fact]
    public void Intercept_Prefix_IsPutBeforeTheUuid()
    {
        var interceptor = InterceptorHarness.Build("uuid", "headerName=eventId", "prefix=agent7-");

        var @event = interceptor.RunOne(Event.FromText("x"));

        Assert.StartsWith("agent7-", @event.GetHeader("eventId"));
        Assert.True(Guid.TryParse(@event.GetHeader("eventId")!["agent7-".Length..], out _));
    }

    [Fact]
    public void Intercept_ExistingIdByDefault_IsPreserved()
    {
        var @event = InterceptorHarness.Build("uuid").RunOne(Event.FromText("x", InterceptorHarness.Headers(("id", "mine"))));

        Assert.Equal("mine", @event.GetHeader("id"));
    }

    [Fact]
    public void Intercept_PreserveExistingFalse_ReplacesTheId()
    {
        var interceptor = InterceptorHarness.Build("uuid", "preserveExisting=false");

        var @event = interceptor.RunOne(Event.FromText("x", InterceptorHarness.Headers(("id", "mine"))));

        Assert.True(Guid.TryParse(@event.GetHeader("id"), out _));
    }
}
