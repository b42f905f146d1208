using System.Globalization;
using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// The Job that drains a claim no pod uses: the tier's own pod (same image, configuration, volumes,
/// security) on that claim, its agent run with <c>--drain</c> (channels and sinks, no sources, until
/// every channel is empty; exit 3 when nothing leaves for the stall time, and the Job retries).
/// Its pods carry none of the tier's labels, so no Service of the tier ever sends to them.
/// </summary>
internal static class DrainJob
{
    public const string ClaimLabel = "flumek8s.io/drains-claim";
    private const int Attempts = 4;

    public static string Name(string claim) => $"{claim}-drain";

    public static JsonObject Render(JsonObject statefulSet, string claim, int drainStallSeconds)
    {
        var template = statefulSet["spec"]!["volumeClaimTemplates"]![0]!["metadata"]!["name"]!.GetValue<string>();
        var pod = statefulSet["spec"]!["template"]!["spec"]!.DeepClone().AsObject();
        pod["restartPolicy"] = "Never";
        pod["volumes"] ??= new JsonArray();
        pod["volumes"]!.AsArray().Add(new JsonObject { ["name"] = template, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } });
        foreach (var container in pod["containers"]!.AsArray().OfType<JsonObject>())
        {
            container.Remove("startupProbe");
            container.Remove("livenessProbe");
            container.Remove("readinessProbe");
            container["args"] ??= new JsonArray();
            container["args"]!.AsArray().Add("--drain");
            container["args"]!.AsArray().Add("--drain-stall");
            container["args"]!.AsArray().Add(drainStallSeconds.ToString(CultureInfo.InvariantCulture));
        }
        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = "flumek8s",
            ["app.kubernetes.io/component"] = "drain",
            ["app.kubernetes.io/managed-by"] = "flumek8s-operator",
            [ClaimLabel] = claim,
        };
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name(claim),
                ["namespace"] = statefulSet["metadata"]!["namespace"]?.DeepClone(),
                ["labels"] = labels.DeepClone(),
                ["ownerReferences"] = statefulSet["metadata"]!["ownerReferences"]?.DeepClone(),
            },
            ["spec"] = new JsonObject
            {
                ["backoffLimit"] = Attempts - 1,
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels }, ["spec"] = pod },
            },
        };
    }
}
