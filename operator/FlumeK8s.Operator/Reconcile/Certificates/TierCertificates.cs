using System.Globalization;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Rendering.Objects;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Reconcile.Certificates;

/// <summary>
/// The certificate a tier's pods mount. With <c>tls.mode: operator</c> it is issued from the
/// namespace's CA into a Secret the tier owns (deleted with it), and reissued in place when due; the
/// Secret keeps its name, so the pods see new files and the agents re-read them, with no restart.
/// With <c>secret</c> the user's Secret is only read, to show its expiry and to warn before it
/// lapses, which the operator cannot prevent. Called before the workload is applied, so a new pod
/// never waits for its certificate.
/// </summary>
internal sealed class TierCertificates(KubeClient client, AuthorityStore authorities, CertificatePolicy policy, string clusterDomain, TimeProvider time)
{
    /// <summary>How soon a missing or unreadable user Secret is looked for again (it is not watched).</summary>
    private static readonly TimeSpan UserSecretRecheck = TimeSpan.FromMinutes(1);

    public async Task<CertificateReport> EnsureAsync(ITier tier, CancellationToken cancellationToken)
    {
        if (!HopTlsLayout.Applies(tier))
        {
            return CertificateReport.None;
        }
        return HopTlsLayout.Of(tier).Mode == HopTlsMode.Secret
            ? await ReadUserSecretAsync(tier, cancellationToken).ConfigureAwait(false)
            : await IssueAsync(tier, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CertificateReport> IssueAsync(ITier tier, CancellationToken cancellationToken)
    {
        var ns = tier.Metadata.Namespace ?? TierReader.DefaultNamespace;
        var authority = await authorities.EnsureAsync(ns, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var name = HopTlsLayout.IssuedSecret(tier.Metadata.Name);
        var stored = await client.GetAsync(ResourceKind.Secret, ns, name, cancellationToken).ConfigureAwait(false);
        var current = stored is null ? null : HopSecretData.Read(SecretText.Data(stored));
        var request = HopCertificateRequest.For(tier, clusterDomain);
        var (action, reason) = HopCertificateCheck.Decide(current, request, authority, now, policy);
        var wanted = action switch
        {
            HopSecretAction.Issue => ToData(CertificateIssuer.Issue(authority.Active, request, now, policy.Validity), authority),
            HopSecretAction.UpdateTrust => current! with { TrustBundle = authority.Bundle },
            _ => current!,
        };
        // Written when anything differs, the owner reference included: a Secret left from an earlier
        // tier of the same name (another uid) is taken over rather than trusted.
        if (action != HopSecretAction.Keep || !OwnedBy(stored!, tier))
        {
            var trustChanged = current?.TrustBundle != wanted.TrustBundle;
            var since = trustChanged ? ApiTime.Format(now) : stored?["metadata"]?["annotations"]?[HopTlsLayout.TrustSinceAnnotation]?.GetValue<string>() ?? ApiTime.Format(now);
            await client.ApplyAsync(ResourceKind.Secret, Secret(tier, name, wanted, since), TierReconciler.FieldManager, cancellationToken).ConfigureAwait(false);
        }
        using var certificate = Pem.Certificate(wanted.Certificate)!;
        var notAfter = Pem.NotAfter(certificate);
        var renewal = policy.RenewalTime(notAfter);
        var next = Earliest(renewal, authority.NextChange(now, policy));
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{(action == HopSecretAction.Issue ? $"issued ({reason})" : "valid")}: Secret {name} until {ApiTime.Format(notAfter)}, renewed from {ApiTime.Format(renewal)}");
        return new CertificateReport(
            [new CertificateStatus("hop", name, notAfter), new CertificateStatus("ca", authorities.SecretOf(ns), authority.NotAfter)],
            new TierCondition(CertificateReport.ConditionType, true, action == HopSecretAction.Issue ? "Issued" : "Valid", message),
            name,
            next);
    }

    private async Task<CertificateReport> ReadUserSecretAsync(ITier tier, CancellationToken cancellationToken)
    {
        var ns = tier.Metadata.Namespace ?? TierReader.DefaultNamespace;
        var name = HopTlsLayout.SecretName(tier);
        var now = time.GetUtcNow();
        var stored = await client.GetAsync(ResourceKind.Secret, ns, name, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Failed("SecretMissing", $"Secret {name} does not exist: the pods cannot start until it does (tls.crt, tls.key, ca.crt)", now);
        }
        var data = SecretText.Data(stored);
        var missing = new[] { HopSecretData.CertificateKey, HopSecretData.KeyKey, HopSecretData.TrustKey }.Where(k => !data.ContainsKey(k)).ToList();
        using var certificate = Pem.Certificate(data.GetValueOrDefault(HopSecretData.CertificateKey));
        if (missing.Count > 0 || certificate is null)
        {
            var what = missing.Count > 0 ? $"has no {string.Join(", ", missing)}" : "holds no readable PEM certificate in tls.crt";
            return Failed("SecretInvalid", $"Secret {name} {what}", now);
        }
        var notAfter = Pem.NotAfter(certificate);
        var warnFrom = policy.RenewalTime(notAfter);
        var entries = new[] { new CertificateStatus("hop", name, notAfter) };
        if (now >= warnFrom)
        {
            var lapse = notAfter <= now ? "expired" : "expires";
            return new CertificateReport(entries, new TierCondition(CertificateReport.ConditionType, false, "CertificateExpiring",
                $"the certificate in Secret {name} {lapse} {ApiTime.Format(notAfter)}; the operator does not renew a user's Secret: renew it (or let cert-manager)"), null,
                notAfter > now ? notAfter : now + UserSecretRecheck);
        }
        return new CertificateReport(entries, new TierCondition(CertificateReport.ConditionType, true, "Valid",
            $"Secret {name} until {ApiTime.Format(notAfter)}"), null, warnFrom);
    }

    private static CertificateReport Failed(string reason, string message, DateTimeOffset now) =>
        new([], new TierCondition(CertificateReport.ConditionType, false, reason, message), null, now + UserSecretRecheck);

    private static HopSecretData ToData(IssuedPem issued, NamespaceAuthority authority) => new(issued.Certificate, issued.Key, authority.Bundle);

    private static JsonObject Secret(ITier tier, string name, HopSecretData data, string trustSince)
    {
        var metadata = ObjectMetadata.For(tier, name, new Dictionary<string, string> { [HopTlsLayout.TrustSinceAnnotation] = trustSince });
        metadata["labels"]![HopTlsLayout.IssuedLabel] = "issued";
        var secret = ObjectMetadata.Header("v1", "Secret", metadata);
        secret["type"] = "kubernetes.io/tls";
        secret["data"] = SecretText.Encode(data.ToData());
        return secret;
    }

    private static bool OwnedBy(JsonObject secret, ITier tier) =>
        secret["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>().Any(o => o["uid"]?.GetValue<string>() == tier.Metadata.Uid) == true;

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

}
