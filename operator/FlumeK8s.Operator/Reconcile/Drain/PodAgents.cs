using System.Text.Json;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// A tier pod's agent, asked through the API server's proxy to its admin endpoint: start or cancel
/// a drain, and what its channels still hold. The operator needs no network path to the pods, only
/// the <c>pods/proxy</c> right. An agent that cannot be reached, or answers something else (an
/// older agent, a proxy's error page), answers null.
/// </summary>
internal sealed class PodAgents(KubeClient client)
{
    // Short: a pod that does not answer quickly is reported as not answering, and asked again.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public Task<DrainStatus?> DrainAsync(string @namespace, string pod, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, @namespace, pod, cancellationToken);

    public Task<DrainStatus?> CancelDrainAsync(string @namespace, string pod, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, @namespace, pod, cancellationToken);

    private async Task<DrainStatus?> SendAsync(HttpMethod method, string @namespace, string pod, CancellationToken cancellationToken)
    {
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(@namespace)}/pods/{Uri.EscapeDataString(pod)}:{AgentLayout.AdminPort}/proxy/drain";
        try
        {
            var response = await client.SendRawAsync(method, path, Timeout, cancellationToken).ConfigureAwait(false);
            return (int)response.Status is >= 200 and < 300 ? DrainStatusJson.Parse(response.Body) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or JsonException)
        {
            return null;
        }
    }
}
