using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Where a tier's hop certificate comes from and where its pods find it: one Secret in
/// cert-manager's layout (the operator's or the user's), mounted whole (not subPath, so kubelet
/// swaps renewed files in and the agent re-reads them without a restart) at <see cref="Directory"/>.
/// </summary>
internal static class HopTlsLayout
{
    public const string Directory = "/etc/flumek8s-tls";
    public const string VolumeName = "hop-tls";
    public const string CertificateFile = Directory + "/tls.crt";
    public const string KeyFile = Directory + "/tls.key";
    public const string TrustFile = Directory + "/ca.crt";

    /// <summary>
    /// The Secret holding a tier namespace's CA. It lives in the operator's own namespace, not the
    /// tiers': whoever may read Secrets where the tiers run (the built-in edit and admin roles) must
    /// not get the key that signs hop certificates.
    /// </summary>
    public static string AuthoritySecret(string tierNamespace) => $"flumek8s-ca-{tierNamespace}";

    /// <summary>Marks the Secrets the operator issued for tiers (the CA waits for all of them to trust its successor).</summary>
    public const string IssuedLabel = "flumek8s.io/hop-certificate";

    /// <summary>When the Secret's ca.crt last changed (RFC 3339): how long its pods may have been trusting it.</summary>
    public const string TrustSinceAnnotation = "flumek8s.io/trust-since";

    public static HopTls Of(ITier tier) => tier.Spec.Pod.Tls ?? new HopTls();

    /// <summary>Whether the tier's pods carry a certificate: TLS is on and the tier has a hop (it receives or forwards).</summary>
    public static bool Applies(ITier tier) => Of(tier).Enabled && (tier.Spec.ReceivesHops || tier.Spec.ForwardTo is not null);

    /// <summary>The Secret mounted in the tier's pods: the operator's <c>&lt;tier&gt;-hop-tls</c> or the user's.</summary>
    public static string SecretName(ITier tier) =>
        Of(tier) is { Mode: HopTlsMode.Secret, SecretName: { } user } ? user : IssuedSecret(tier.Metadata.Name);

    public static string IssuedSecret(string tier) => tier + "-hop-tls";

    public static readonly IReadOnlyList<string> Files = [CertificateFile, KeyFile, TrustFile];
}
