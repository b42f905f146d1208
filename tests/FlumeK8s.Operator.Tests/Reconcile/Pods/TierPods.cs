using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Tests.Reconcile.Pods;

/// <summary>Pods of a collector tier as the API server returns them, in the states the operator tells apart.</summary>
internal static class TierPods
{
    /// <summary>A pod of tier "collectors"; <paramref name="status"/> is its status in JSON.</summary>
    public static JsonObject Pod(string name, string status, string extraMetadata = "") => JsonNode.Parse($$"""
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {
            "name": "{{name}}", "namespace": "logs", "uid": "uid-{{name}}", "resourceVersion": "1",
            "labels": {"app.kubernetes.io/instance": "collectors", "flumek8s.io/tier-kind": "CollectorTier", "app.kubernetes.io/managed-by": "flumek8s-operator"}
            {{extraMetadata}}
          },
          "status": {{status}}
        }
        """)!.AsObject();

    /// <summary>Running, its agent started (the startup probe passed), ready or not.</summary>
    public static string Started(bool ready) => $$"""
        {
          "phase": "Running",
          "conditions": [{"type": "Ready", "status": "{{(ready ? "True" : "False")}}"}, {"type": "PodScheduled", "status": "True"}],
          "containerStatuses": [{"name": "agent", "ready": {{(ready ? "true" : "false")}}, "started": true, "restartCount": 0, "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"} } }]
        }
        """;

    /// <summary>Running, the startup probe not passed yet (a file channel replaying, say).</summary>
    public const string Starting = """
        {
          "phase": "Running",
          "conditions": [{"type": "Ready", "status": "False"}],
          "containerStatuses": [{"name": "agent", "ready": false, "started": false, "restartCount": 0, "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]
        }
        """;

    public static string Waiting(string container, string reason, string message, bool init = false) => $$"""
        {
          "phase": "{{(init ? "Pending" : "Running")}}",
          "conditions": [{"type": "Ready", "status": "False"}],
          "{{(init ? "initContainerStatuses" : "containerStatuses")}}": [{"name": "{{container}}", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "{{reason}}", "message": "{{message}}"} } }]
        }
        """;

    public const string Unschedulable = """
        {
          "phase": "Pending",
          "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims."}]
        }
        """;

    /// <summary>What a pod has before any kubelet or scheduler looked at it.</summary>
    public const string New = """{"phase": "Pending"}""";
}
