using System.Globalization;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// The claims a scale-down emptied. Each is marked when its pod was found drained, just before the
/// StatefulSet shrinks; once that pod is gone the claim is deleted (<c>storage.deleteClaimAfterDrain</c>,
/// the StatefulSet retention policy this API server lacks). A tier that grows back to the claim before
/// then gets it unmarked and reused. Only marked claims are ever deleted: a claim left by a crash or
/// a scale-down by hand may hold events, and is not this class's to delete.
/// </summary>
internal sealed class DrainedClaims(KubeClient client)
{
    public const string Annotation = "flumek8s.io/drained-at";
    // Its own field manager: the mark is applied and withdrawn without touching anything else.
    private const string FieldManager = "flumek8s-operator-drain";

    /// <summary>Marks the claims of <paramref name="pods"/> (of the rendered <paramref name="statefulSet"/>) drained.</summary>
    public async Task MarkAsync(JsonObject statefulSet, IEnumerable<string> pods, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (ns, template, _) = Describe(statefulSet);
        foreach (var pod in pods)
        {
            await MarkClaimAsync(ns, $"{template}-{pod}", now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks one claim drained, if it exists (server-side apply would create a claim that does not).</summary>
    public async Task MarkClaimAsync(string? ns, string claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await client.GetAsync(ResourceKind.PersistentVolumeClaim, ns, claim, cancellationToken).ConfigureAwait(false) is not null)
        {
            await ApplyMarkAsync(ns, claim, now.ToString("O", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
    }

    private static int? Ordinal(string claim, string prefix) =>
        claim.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(claim.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : null;

    /// <summary>
    /// One look at the tier's claims. Marked claims: unmarked when the tier wants them again (ordinal
    /// below <paramref name="wanted"/>), deleted once their pod is gone (kept, with
    /// <paramref name="delete"/> false), else waiting for it. Unmarked claims beyond the replicas the
    /// StatefulSet has now, not being deleted, whose pod does not exist: orphaned, left by a crash or
    /// a scale-down outside the operator, possibly holding events.
    /// </summary>
    public async Task<SettledClaims> SettleAsync(JsonObject statefulSet, int wanted, bool delete, CancellationToken cancellationToken)
    {
        var (ns, template, selector) = Describe(statefulSet);
        var name = KubeClient.Name(statefulSet);
        var running = statefulSet["spec"]!["replicas"]!.GetValue<int>();
        var prefix = $"{template}-{name}-";
        var waiting = new List<string>();
        var orphaned = new List<string>();
        var claims = await client.ListAsync(ResourceKind.PersistentVolumeClaim, ns, selector, cancellationToken).ConfigureAwait(false);
        foreach (var claim in claims.Items)
        {
            var claimName = KubeClient.Name(claim);
            if (Ordinal(claimName, prefix) is not { } ordinal || claim["metadata"]?["deletionTimestamp"] is not null)
            {
                continue;
            }
            var marked = claim["metadata"]?["annotations"]?[Annotation] is not null;
            if (marked && ordinal < wanted)
            {
                await ApplyMarkAsync(ns, claimName, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (!marked && ordinal < running)
            {
                continue;
            }
            var podExists = await client.GetAsync(ResourceKind.Pod, ns, $"{name}-{ordinal.ToString(CultureInfo.InvariantCulture)}", cancellationToken).ConfigureAwait(false) is not null;
            if (marked && podExists)
            {
                waiting.Add(claimName);
            }
            else if (marked && delete)
            {
                await client.DeleteAsync(ResourceKind.PersistentVolumeClaim, ns, claimName, "Background", cancellationToken).ConfigureAwait(false);
            }
            else if (!marked && !podExists)
            {
                orphaned.Add(claimName);
            }
        }
        return new SettledClaims(waiting, orphaned);
    }

    // With a null mark, this manager's annotation is withdrawn (server-side apply removes what a
    // manager no longer sets).
    private Task ApplyMarkAsync(string? ns, string claim, string? mark, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["name"] = claim, ["namespace"] = ns };
        if (mark is not null)
        {
            metadata["annotations"] = new JsonObject { [Annotation] = mark };
        }
        return client.ApplyAsync(ResourceKind.PersistentVolumeClaim,
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = metadata }, FieldManager, cancellationToken);
    }

    // The namespace, the claim template's name and a label selector for its claims.
    private static (string? Namespace, string Template, string Selector) Describe(JsonObject statefulSet)
    {
        var template = statefulSet["spec"]!["volumeClaimTemplates"]![0]!["metadata"]!;
        var labels = template["labels"]!.AsObject().Select(l => $"{l.Key}={l.Value!.GetValue<string>()}");
        return (KubeClient.Namespace(statefulSet), template["name"]!.GetValue<string>(), string.Join(',', labels));
    }
}
