namespace FlumeK8s.Operator.Tiers;

/// <summary>
/// The downstream tier (same namespace) this tier sends to over the grpc hop: one grpc sink per
/// forwarded channel (by default every channel no sink of the flow takes from), with extra properties.
/// </summary>
public sealed record ForwardTo(
    string Name,
    string? Kind = null,
    IReadOnlyList<string>? Channels = null,
    IReadOnlyDictionary<string, string>? Properties = null);
