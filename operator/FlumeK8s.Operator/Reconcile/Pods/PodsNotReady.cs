namespace FlumeK8s.Operator.Reconcile.Pods;

/// <summary>
/// The Degraded condition of a tier whose pods are not ready for a reason: every such pod with its
/// reason, so `kubectl describe` answers "why is my tier not ready" without visiting each pod. Kept
/// short enough to read: each reason cut at <see cref="MaxReason"/> characters, at most
/// <see cref="MaxPods"/> pods named.
/// </summary>
internal static class PodsNotReady
{
    public const string Reason = "PodsNotReady";
    public const int MaxPods = 10;
    public const int MaxReason = 300;

    public static TierCondition Condition(IReadOnlyList<NotReadyPod> pods) => new("Degraded", true, Reason, Message(pods));

    public static string Message(IReadOnlyList<NotReadyPod> pods)
    {
        var named = pods.OrderBy(p => p.Name, StringComparer.Ordinal).Take(MaxPods).Select(p => $"{p.Name}: {Cut(p.Reason)}");
        var rest = pods.Count > MaxPods ? $"; and {pods.Count - MaxPods} more" : "";
        return $"{pods.Count} {(pods.Count == 1 ? "pod" : "pods")} not ready: {string.Join("; ", named)}{rest}";
    }

    private static string Cut(string reason) => reason.Length <= MaxReason ? reason : reason[..(MaxReason - 1)] + "…";
}
