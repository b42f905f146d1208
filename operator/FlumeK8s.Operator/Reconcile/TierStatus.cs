using System.Globalization;
using System.Text.Json.Nodes;
using FlumeK8s.Operator.Certificates;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// The status the operator writes on a tier. A condition keeps its lastTransitionTime while its value
/// stays the same, so the time says when it last changed, not when the operator last looked.
/// </summary>
internal sealed record TierStatus(
    long ObservedGeneration,
    int Replicas,
    int ReadyReplicas,
    string? Selector,
    string? ConfigHash,
    IReadOnlyList<TierCondition> Conditions,
    int? DrainingReplicas = null,
    IReadOnlyList<CertificateStatus>? Certificates = null)
{
    public bool IsReady => Conditions.Any(c => c.Type == "Ready" && c.Status);

    /// <summary>The status <paramref name="tier"/> carries now (empty for a new tier).</summary>
    public static TierStatus From(JsonObject tier)
    {
        var status = tier["status"];
        return new TierStatus(
            status?["observedGeneration"]?.GetValue<long>() ?? 0,
            status?["replicas"]?.GetValue<int>() ?? 0,
            status?["readyReplicas"]?.GetValue<int>() ?? 0,
            status?["selector"]?.GetValue<string>(),
            status?["configHash"]?.GetValue<string>(),
            [.. status?["conditions"]?.AsArray().OfType<JsonObject>().Select(c => new TierCondition(
                c["type"]!.GetValue<string>(),
                c["status"]?.GetValue<string>() == "True",
                c["reason"]?.GetValue<string>() ?? "",
                c["message"]?.GetValue<string>() ?? "")) ?? []],
            status?["drainingReplicas"]?.GetValue<int>(),
            status?["certificates"] is JsonArray certificates
                ? [.. certificates.OfType<JsonObject>().Select(c => new CertificateStatus(
                    c["name"]?.GetValue<string>() ?? "",
                    c["secret"]?.GetValue<string>() ?? "",
                    ApiTime.Parse(c["notAfter"]?.GetValue<string>()) ?? DateTimeOffset.MinValue))]
                : null);
    }

    /// <summary>The status apply patch for the tier <paramref name="current"/>.</summary>
    public JsonObject ToPatch(JsonObject current, DateTimeOffset now)
    {
        var previous = current["status"]?["conditions"]?.AsArray().OfType<JsonObject>()
            .ToDictionary(c => c["type"]!.GetValue<string>()) ?? [];
        var conditions = new JsonArray();
        foreach (var condition in Conditions)
        {
            var status = condition.Status ? "True" : "False";
            var since = previous.TryGetValue(condition.Type, out var before) && before["status"]?.GetValue<string>() == status
                ? before["lastTransitionTime"]?.GetValue<string>()
                : null;
            conditions.Add(new JsonObject
            {
                ["type"] = condition.Type,
                ["status"] = status,
                ["reason"] = condition.Reason,
                ["message"] = condition.Message,
                ["observedGeneration"] = ObservedGeneration,
                ["lastTransitionTime"] = since ?? ApiTime.Format(now),
            });
        }
        var status_ = new JsonObject
        {
            ["observedGeneration"] = ObservedGeneration,
            ["replicas"] = Replicas,
            ["readyReplicas"] = ReadyReplicas,
            ["conditions"] = conditions,
        };
        if (Selector is not null)
        {
            status_["selector"] = Selector;
        }
        if (ConfigHash is not null)
        {
            status_["configHash"] = ConfigHash;
        }
        if (DrainingReplicas is { } draining)
        {
            status_["drainingReplicas"] = draining;
        }
        if (Certificates is { Count: > 0 } certificates)
        {
            status_["certificates"] = new JsonArray([.. certificates.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["secret"] = c.Secret,
                ["notAfter"] = ApiTime.Format(c.NotAfter),
            })]);
        }
        return new JsonObject
        {
            ["apiVersion"] = current["apiVersion"]!.GetValue<string>(),
            ["kind"] = current["kind"]!.GetValue<string>(),
            ["metadata"] = new JsonObject
            {
                ["name"] = current["metadata"]!["name"]!.GetValue<string>(),
                ["namespace"] = current["metadata"]!["namespace"]!.GetValue<string>(),
            },
            ["status"] = status_,
        };
    }

}
