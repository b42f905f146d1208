using System.Net;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Reconcile.Certificates;

/// <summary>
/// Keeps each tier namespace's CA Secret (<see cref="HopTlsLayout.AuthoritySecret"/>, in the
/// operator's namespace <paramref name="home"/>): creates it,
/// renews the CA in its window and lets the successor sign once every issued tier Secret of the
/// namespace has carried it for the trust-propagation time (see <see cref="NamespaceAuthority"/>).
/// The Secret belongs to no tier (every tier of the namespace chains to it) and carries the operator's
/// label only. Writes are compare-and-swap on the resourceVersion; the tiers of a namespace are
/// reconciled in parallel, so one lock serialises this process's reads and writes of it.
/// </summary>
internal sealed class AuthorityStore(KubeClient client, string home, CertificatePolicy policy, TimeProvider time)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Where the CA Secrets are, as the tier status names them.</summary>
    public string SecretOf(string @namespace) => $"{home}/{HopTlsLayout.AuthoritySecret(@namespace)}";

    public async Task<NamespaceAuthority> EnsureAsync(string @namespace, CancellationToken cancellationToken)
    {
        // The common case, a CA with nothing due, takes no lock: the workers read it side by side.
        var (_, found) = await ReadAsync(@namespace, cancellationToken).ConfigureAwait(false);
        if (found is not null && found.Next is null && found.NextChange(time.GetUtcNow(), policy) > time.GetUtcNow())
        {
            return found;
        }
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var (stored, current) = await ReadAsync(@namespace, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                var created = NamespaceAuthority.Create(@namespace, now, policy);
                await WriteAsync(@namespace, stored, created, cancellationToken).ConfigureAwait(false);
                return created;
            }
            // Only a successor waiting to sign needs every tier's Secret looked at (one list per
            // reconcile of every tier would cost the namespace's whole set each time).
            var issued = current.Next is null ? null
                : await client.ListAsync(ResourceKind.Secret, @namespace, HopTlsLayout.IssuedLabel, cancellationToken).ConfigureAwait(false);
            var advanced = current.Advance(@namespace, now, policy, next => issued is not null && issued.Items.All(s => Trusts(s, next, now)));
            if (!advanced.SameAs(current))
            {
                await WriteAsync(@namespace, stored, advanced, cancellationToken).ConfigureAwait(false);
            }
            return advanced;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<(JsonObject? Stored, NamespaceAuthority? Authority)> ReadAsync(string @namespace, CancellationToken cancellationToken)
    {
        var stored = await client.GetAsync(ResourceKind.Secret, home, HopTlsLayout.AuthoritySecret(@namespace), cancellationToken).ConfigureAwait(false);
        return (stored, stored is null ? null : NamespaceAuthority.Read(SecretText.Data(stored)));
    }

    // A tier Secret trusts the successor once its ca.crt holds it and kubelet has had time to put it in the pods.
    private bool Trusts(JsonObject secret, string next, DateTimeOffset now)
    {
        var bundle = SecretText.Data(secret).GetValueOrDefault(HopSecretData.TrustKey, "");
        var since = secret["metadata"]?["annotations"]?[HopTlsLayout.TrustSinceAnnotation]?.GetValue<string>();
        return bundle.Contains(next.Trim(), StringComparison.Ordinal)
            && ApiTime.Parse(since) is { } at
            && at + policy.TrustPropagation <= now;
    }

    private async Task WriteAsync(string @namespace, JsonObject? stored, NamespaceAuthority authority, CancellationToken cancellationToken)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = HopTlsLayout.AuthoritySecret(@namespace),
                ["namespace"] = home,
                ["labels"] = new JsonObject { [TierNames.ManagedByLabel] = TierReconciler.FieldManager, [TierNames.NameLabel] = TierNames.AppName },
            },
            ["type"] = "Opaque",
            ["data"] = SecretText.Encode(authority.ToData()),
        };
        if (stored is null)
        {
            try
            {
                await client.CreateAsync(ResourceKind.Secret, secret, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Status == HttpStatusCode.Conflict)
            {
                // Another operator instance made it first: the next reconcile reads that one.
                throw new KubeApiException(e.Status, e.Reason, $"the CA Secret {home}/{HopTlsLayout.AuthoritySecret(@namespace)} was created concurrently; retrying");
            }
            return;
        }
        secret["metadata"]!["resourceVersion"] = stored["metadata"]?["resourceVersion"]?.GetValue<string>();
        await client.ReplaceAsync(ResourceKind.Secret, secret, cancellationToken).ConfigureAwait(false);
    }
}
