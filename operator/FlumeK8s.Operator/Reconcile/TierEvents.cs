using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Records on a tier what the operator did to it, or on one of its pods what the operator found
/// (kubectl describe shows them); a failure to record is not a failed reconcile.
/// </summary>
internal sealed class TierEvents(KubeClient client, TimeProvider time)
{
    /// <param name="involved">The object the Event is about, as the API server returned it (kind, apiVersion, metadata).</param>
    public async Task RecordAsync(JsonObject involved, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = ApiTime.Format(time.GetUtcNow());
        var metadata = involved["metadata"]!;
        var recorded = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = metadata["name"]!.GetValue<string>() + ".",
                ["namespace"] = metadata["namespace"]!.GetValue<string>(),
            },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involved["apiVersion"]!.GetValue<string>(),
                ["kind"] = involved["kind"]!.GetValue<string>(),
                ["name"] = metadata["name"]!.GetValue<string>(),
                ["namespace"] = metadata["namespace"]!.GetValue<string>(),
                ["uid"] = metadata["uid"]?.GetValue<string>(),
            },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = TierReconciler.FieldManager },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        try
        {
            await client.CreateAsync(ResourceKind.Event, recorded, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            // Events are best effort, as in every controller: the status carries the truth.
        }
    }
}
