using System.Collections.Concurrent;
using System.Globalization;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Reconcile.Pods;

/// <summary>
/// Finds out why a tier's pods are not ready. A pod whose agent has started is asked through the API
/// server's pod proxy (<c>GET …/pods/&lt;pod&gt;:41414/proxy/readyz</c>, which names the channel or sink
/// that cannot work and why); a pod Kubernetes already reports a problem for (a crashing container,
/// no node for it) is described by that; a pod still starting or stopping is left alone. Each pod's
/// answer is reused for <see cref="AskEvery"/>, each question waits at most <see cref="AskTimeout"/>,
/// and a new reason is recorded once as a Warning Event on the pod.
/// </summary>
/// <remarks>A tier is reconciled by one worker at a time, so the state of one tier is never used concurrently.</remarks>
internal sealed partial class PodDiagnosis(KubeClient client, TierEvents events, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    /// <summary>While pods of a tier are not ready for a reason, its status is brought up to date this often.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<TierKey, IReadOnlyDictionary<string, Known>> _tiers = new();

    /// <summary>The not-ready pods of the tier among those <paramref name="selector"/> selects, each with its reason.</summary>
    public async Task<IReadOnlyList<NotReadyPod>> DiagnoseAsync(TierKey tier, string selector, CancellationToken cancellationToken)
    {
        ObjectList pods;
        try
        {
            pods = await client.ListAsync(ResourceKind.Pod, tier.Namespace, selector, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            // Only the explanation is missing: the rest of the status is still right.
            LogListFailed(logger, tier.ToString(), e.Message);
            return [];
        }
        var before = _tiers.GetValueOrDefault(tier) ?? new Dictionary<string, Known>();
        // Sorted as the condition names them: the pods it names are the ones asked.
        var diagnosed = pods.Items.Select(p => (Pod: p, State: PodState.Read(p))).Where(p => p.State.NeedsDiagnosis)
            .OrderBy(p => p.State.Name, StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(diagnosed.Select((p, i) =>
            AskAsync(tier, p.State, before.GetValueOrDefault(p.State.Name), ask: i < PodsNotReady.MaxPods, cancellationToken))).ConfigureAwait(false);

        var now = new Dictionary<string, Known>(StringComparer.Ordinal);
        var result = new List<NotReadyPod>();
        for (var i = 0; i < diagnosed.Count; i++)
        {
            var (pod, state) = diagnosed[i];
            var answer = answers[i];
            if (answer.Reason is { } reason)
            {
                result.Add(new NotReadyPod(state.Name, reason));
                if (answer.Reported != reason && i < PodsNotReady.MaxPods)
                {
                    await events.RecordAsync(pod, "Warning", "AgentNotReady", reason, cancellationToken).ConfigureAwait(false);
                    answer = answer with { Reported = reason };
                }
            }
            now[state.Name] = answer;
        }
        _tiers[tier] = now; // pods that are ready or gone are forgotten
        return result;
    }

    /// <summary>Drops what is known of a deleted tier's pods.</summary>
    public void Forget(TierKey tier) => _tiers.TryRemove(tier, out _);

    private async Task<Known> AskAsync(TierKey tier, PodState state, Known? last, bool ask, CancellationToken cancellationToken)
    {
        if (state.Problem is { } problem)
        {
            return new Known(problem, AskedAt: null, last?.Reported);
        }
        if (last is { AskedAt: { } askedAt } && time.GetElapsedTime(askedAt) < AskEvery)
        {
            return last;
        }
        if (!ask)
        {
            return new Known($"not asked: only the first {PodsNotReady.MaxPods} pods are", AskedAt: null, last?.Reported);
        }
        string? reason;
        try
        {
            var answer = await client.GetRawAsync(ReadyzPath(tier.Namespace, state.Name), AskTimeout, cancellationToken).ConfigureAwait(false);
            reason = ReadyzAnswer.Reason(answer);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            reason = ReadyzAnswer.Unknown(e.Message);
        }
        return new Known(reason, time.GetTimestamp(), last?.Reported);
    }

    private static string ReadyzPath(string ns, string pod) =>
        string.Create(CultureInfo.InvariantCulture, $"{ResourceKind.Pod.ObjectPath(ns, pod)}:{AgentLayout.AdminPort}/proxy/readyz");

    /// <summary>A pod's last reason, when its agent gave it (null: the agent was not asked), and the reason last recorded as an Event.</summary>
    private sealed record Known(string? Reason, long? AskedAt, string? Reported);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tier}: cannot list its pods to find why they are not ready: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string tier, string reason);
}
