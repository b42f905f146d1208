using System.Net;

namespace FlumeK8s.Kube;

/// <summary>An answer read as it came: what a proxied endpoint says, which need not be a Kubernetes object.</summary>
public sealed record RawResponse(HttpStatusCode Status, string? MediaType, string Body);
