using System.Net;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Reconcile.Pods;

namespace FlumeK8s.Operator.Tests.Reconcile.Pods;

public sealed class ReadyzAnswerTests
{
    [Fact]
    public void Reason_TheAgentsOwnWords_WhenItAnswers503()
    {
        var answer = new RawResponse(HttpStatusCode.ServiceUnavailable, "text/plain",
            "channel c1: failed to start: Access to the path '/var/lib/flumek8s/c1/data' is denied.\n");

        Assert.Equal("channel c1: failed to start: Access to the path '/var/lib/flumek8s/c1/data' is denied.", ReadyzAnswer.Reason(answer));
    }

    [Fact]
    public void Reason_None_WhenReadyOrDraining()
    {
        Assert.Null(ReadyzAnswer.Reason(new RawResponse(HttpStatusCode.OK, "text/plain", "ready\n")));
        Assert.Null(ReadyzAnswer.Reason(new RawResponse(HttpStatusCode.ServiceUnavailable, "text/plain", "draining: shutting down, not accepting new events\n")));
    }

    [Fact]
    public void Reason_Unknown_WhenTheApiServerCouldNotReachThePod()
    {
        var answer = new RawResponse(HttpStatusCode.ServiceUnavailable, "application/json",
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"error trying to reach service: dial tcp 10.1.0.7:41414: connect: connection refused","code":503}""");

        Assert.Equal("reason unknown: its /readyz could not be read (the API server answered 503: error trying to reach service: dial tcp 10.1.0.7:41414: connect: connection refused)",
            ReadyzAnswer.Reason(answer));
    }

    [Fact]
    public void Reason_Unknown_ForAnythingElse()
    {
        Assert.StartsWith("reason unknown:", ReadyzAnswer.Reason(new RawResponse(HttpStatusCode.InternalServerError, "text/plain", "boom")));
        Assert.StartsWith("reason unknown:", ReadyzAnswer.Reason(new RawResponse(HttpStatusCode.ServiceUnavailable, "text/plain", "")));
        Assert.StartsWith("reason unknown:", ReadyzAnswer.Reason(new RawResponse(HttpStatusCode.Forbidden, "application/json", """{"kind":"Status","message":"pods \"p\" is forbidden","code":403}""")));
    }
}
