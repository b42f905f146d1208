using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The grpc source's properties. Every request may be gzip-compressed or not (its grpc-encoding
/// says which), so there is no compression setting; the Ack goes uncompressed.
/// <c>maxMessageBytes</c> bounds one call's message (before and after decompression);
/// <c>maxInFlightBytes</c> bounds the message bytes all calls hold at once.
/// </summary>
public sealed record GrpcSourceSettings(string Bind, int Port, int MaxMessageBytes, long MaxInFlightBytes, GrpcServerTls? Tls)
{
    public const int DefaultPort = 4141;

    /// <summary>Larger than gRPC's 4 MiB default: a hop carries whole batches.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>By default room for four maximum-size messages at once: many agents' usual batches fit, a flood does not.</summary>
    public const int DefaultInFlightMessages = 4;

    public static GrpcSourceSettings Read(ComponentContext context)
    {
        var maxMessage = context.GetInt("maxMessageBytes", DefaultMaxMessageBytes, min: 1024, max: Array.MaxLength - 5);
        return new GrpcSourceSettings(
            context.GetString("bind", "0.0.0.0"),
            context.GetInt("port", DefaultPort, min: 0, max: 65535),
            maxMessage,
            context.GetLong("maxInFlightBytes", (long)DefaultInFlightMessages * maxMessage, min: maxMessage),
            GrpcServerTls.Read(context));
    }
}
