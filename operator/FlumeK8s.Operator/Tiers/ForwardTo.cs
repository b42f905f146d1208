namespace FlumeK8s.Operator.Tiers;

/// <summary>
/// The downstream tier (same namespace) this tier sends to over the grpc hop: <see cref="Sinks"/>
/// grpc sinks per forwarded channel (by default every channel no sink of the flow takes from), each
/// its own runner taking from that channel and balancing over the downstream pods, with extra properties.
/// </summary>
public sealed record ForwardTo(
    string Name,
    string? Kind = null,
    IReadOnlyList<string>? Channels = null,
    IReadOnlyDictionary<string, string>? Properties = null,
    int? Sinks = null)
{
    /// <summary>One sink per channel unless the tier asks for more (bench/README.md "Hops").</summary>
    public const int DefaultSinks = 1;
}
