using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>The grpc source's properties. Every request may be gzip-compressed or not (its grpc-encoding says which), so there is no compression setting; the Ack goes uncompressed.</summary>
public sealed record GrpcSourceSettings(string Bind, int Port, int MaxMessageBytes, GrpcServerTls? Tls)
{
    public const int DefaultPort = 4141;

    /// <summary>Larger than gRPC's 4 MiB default: a hop carries whole batches.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    public static GrpcSourceSettings Read(ComponentContext context)
    {
        return new GrpcSourceSettings(
            context.GetString("bind", "0.0.0.0"),
            context.GetInt("port", DefaultPort, min: 0, max: 65535),
            context.GetInt("maxMessageBytes", DefaultMaxMessageBytes, min: 1024, max: Array.MaxLength - GrpcFrame.HeaderLength),
            GrpcServerTls.Read(context));
    }
}
