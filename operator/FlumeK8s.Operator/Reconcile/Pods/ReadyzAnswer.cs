using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile.Pods;

/// <summary>
/// Reads an agent's /readyz as the API server's pod proxy returns it. The agent answers in plain
/// text (200 "ready", or 503 and the reason); the API server answers a failure to reach the pod with
/// one of its own Status objects in JSON, which says nothing about the agent.
/// </summary>
internal static class ReadyzAnswer
{
    /// <summary>Why the agent is not ready; null when it says it is ready, or is draining (stopping on purpose).</summary>
    public static string? Reason(RawResponse response)
    {
        if (ServerStatus(response) is { } server)
        {
            return Unknown($"the API server answered {(int)response.Status}: {server}");
        }
        var body = response.Body.Trim();
        return response.Status switch
        {
            HttpStatusCode.OK => null,
            HttpStatusCode.ServiceUnavailable when body.StartsWith("draining:", StringComparison.Ordinal) => null,
            HttpStatusCode.ServiceUnavailable when body.Length > 0 => body,
            _ => Unknown($"it answered {(int)response.Status} {(body.Length > 0 ? body : "without a reason")}"),
        };
    }

    /// <summary>The reason shown when the agent could not be asked.</summary>
    public static string Unknown(string why) => $"reason unknown: its /readyz could not be read ({why})";

    // The message of a Kubernetes Status object, or null when the body is not one.
    private static string? ServerStatus(RawResponse response)
    {
        if (response.MediaType != "application/json")
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(response.Body) is JsonObject { } status && status["kind"]?.GetValue<string>() == "Status"
                ? status["message"]?.GetValue<string>() ?? status["reason"]?.GetValue<string>() ?? "no message"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
