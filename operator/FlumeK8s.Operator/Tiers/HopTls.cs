namespace FlumeK8s.Operator.Tiers;

/// <summary>Who provides the certificates of a tier's hops.</summary>
public enum HopTlsMode
{
    /// <summary>The operator's CA of the namespace issues and renews them (mutual TLS between tiers).</summary>
    Operator,

    /// <summary>The user's Secret (tls.crt, tls.key, ca.crt, as cert-manager writes it) provides them.</summary>
    Secret,

    /// <summary>Hops are plain text (or secured by hand through the hop properties).</summary>
    None,
}

/// <summary><c>spec.tls</c>: how the tier's grpc hops are secured; <see cref="SecretName"/> only with <see cref="HopTlsMode.Secret"/>.</summary>
public sealed record HopTls(HopTlsMode Mode = HopTlsMode.Operator, string? SecretName = null)
{
    public bool Enabled => Mode != HopTlsMode.None;
}
