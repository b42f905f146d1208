using System.Text.Json.Nodes;
using FlumeK8s.Operator.Rendering.Objects;

namespace FlumeK8s.Operator.Reconcile.Pods;

/// <summary>
/// What a tier's pod says of itself, as far as its readiness goes: ready or not, stopping, whether
/// the agent has started (its startup probe passed, so its admin endpoint answers and can say why it
/// is not ready), and a problem Kubernetes itself reports (a container that keeps crashing or cannot
/// be pulled, a pod no node can take).
/// </summary>
internal sealed record PodState(string Name, bool Ready, bool Terminating, bool AgentStarted, string? Problem)
{
    // Waiting reasons of a container on its way up, not problems.
    private static readonly HashSet<string> Starting = new(StringComparer.Ordinal) { "ContainerCreating", "PodInitializing" };

    /// <summary>Not ready for a reason worth finding out: not stopping on purpose, and past starting (or stuck in it).</summary>
    public bool NeedsDiagnosis => !Ready && !Terminating && (Problem is not null || AgentStarted);

    public static PodState Read(JsonObject pod)
    {
        var metadata = pod["metadata"];
        var status = pod["status"];
        var conditions = status?["conditions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var agent = Containers(status, "containerStatuses").FirstOrDefault(c => Text(c["name"]) == PodTemplate.ContainerName);
        // "started" is the startup probe's verdict; servers before 1.16 lack it, and then a running container counts.
        var started = agent?["started"] is JsonValue flag ? flag.GetValue<bool>() : agent?["state"]?["running"] is not null;
        return new PodState(
            Text(metadata?["name"]) ?? "",
            conditions.Any(c => Text(c["type"]) == "Ready" && Text(c["status"]) == "True"),
            metadata?["deletionTimestamp"] is not null,
            started,
            Unschedulable(conditions) ?? Waiting(status));
    }

    private static string? Unschedulable(List<JsonObject> conditions) =>
        conditions.FirstOrDefault(c => Text(c["type"]) == "PodScheduled" && Text(c["status"]) == "False" && Text(c["reason"]) == "Unschedulable") is { } c
            ? Joined("Unschedulable", Text(c["message"]))
            : null;

    private static string? Waiting(JsonNode? status) =>
        Containers(status, "initContainerStatuses").Concat(Containers(status, "containerStatuses"))
            .Select(c => (Name: Text(c["name"]), Waiting: c["state"]?["waiting"]))
            .Where(c => Text(c.Waiting?["reason"]) is { } reason && !Starting.Contains(reason))
            .Select(c => Joined($"container {c.Name}: {Text(c.Waiting!["reason"])}", Text(c.Waiting["message"])))
            .FirstOrDefault();

    private static IEnumerable<JsonObject> Containers(JsonNode? status, string field) =>
        status?[field]?.AsArray().OfType<JsonObject>() ?? [];

    private static string Joined(string what, string? message) => string.IsNullOrWhiteSpace(message) ? what : $"{what}: {message}";

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
