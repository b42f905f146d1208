using System.Net;

namespace FlumeK8s.Kube;

/// <summary>The API server answered with an error; <see cref="Reason"/> is its Status reason (NotFound, Conflict, Gone, Invalid …).</summary>
public sealed class KubeApiException(HttpStatusCode status, string? reason, string message)
    : Exception($"{(int)status} {reason}: {message}")
{
    public HttpStatusCode Status => status;

    public string? Reason => reason;

    /// <summary>The server's own message, e.g. the schema violations of an invalid object.</summary>
    public string ServerMessage => message;
}
