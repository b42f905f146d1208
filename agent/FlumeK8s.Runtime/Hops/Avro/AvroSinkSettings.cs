using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The avro sink's properties, with Flume's names and defaults: <c>hostname</c> and <c>port</c>
/// (required), <c>batch-size</c> 100, <c>connect-timeout</c> and <c>request-timeout</c> 20000 ms,
/// <c>reset-connection-interval</c> 0 s (never), <c>compression-type</c> none|deflate,
/// <c>compression-level</c> 6, <c>ssl</c> with <c>trust-all-certs</c>, <c>truststore</c>,
/// <c>truststore-password</c>, <c>truststore-type</c> (PKCS12 or PEM; JKS is refused),
/// <c>include-protocols</c>/<c>exclude-protocols</c>. <c>max-frame-size</c> is ours: the largest
/// reply accepted.
/// </summary>
public sealed record AvroSinkSettings(
    string Hostname,
    int Port,
    int BatchSize,
    TimeSpan ConnectTimeout,
    TimeSpan RequestTimeout,
    TimeSpan ResetConnectionInterval,
    bool Deflate,
    int CompressionLevel,
    AvroSinkSslSettings? Ssl,
    int MaxFrameBytes)
{
    public const string BatchSizeKey = "batch-size";

    public static AvroSinkSettings Read(ComponentContext context)
    {
        var hostname = context.Require("hostname");
        var port = context.RequireInt("port", min: 1, max: 65535);
        var batchSize = context.GetInt(BatchSizeKey, 100, min: 1);
        var connectTimeout = TimeSpan.FromMilliseconds(context.GetLong("connect-timeout", 20000, min: 1, max: int.MaxValue));
        var requestTimeout = TimeSpan.FromMilliseconds(context.GetLong("request-timeout", 20000, min: 1, max: int.MaxValue));
        var reset = TimeSpan.FromSeconds(context.GetLong("reset-connection-interval", 0, min: 0, max: 30L * 24 * 3600));
        var deflate = context.GetChoice("compression-type", "none", "none", "deflate") == "deflate";
        var level = context.GetInt("compression-level", 6, min: 0, max: 9);
        var maxFrame = context.GetInt("max-frame-size", AvroSourceSettings.DefaultMaxFrameBytes, min: 1024);
        return new AvroSinkSettings(hostname, port, batchSize, connectTimeout, requestTimeout, reset, deflate, level, ReadSsl(context), maxFrame);
    }

    private static AvroSinkSslSettings? ReadSsl(ComponentContext context)
    {
        if (!context.GetBool("ssl", false))
        {
            return null;
        }
        var trustAll = context.GetBool("trust-all-certs", false);
        var truststore = context.GetString("truststore");
        var password = context.GetString("truststore-password");
        var type = AvroKeyStores.ReadType(context, "truststore-type", "truststore", AvroKeyStores.Pkcs12, AvroKeyStores.Pem);
        if (truststore is not null && !File.Exists(truststore))
        {
            context.Error("truststore", $"file '{truststore}' does not exist");
        }
        return new AvroSinkSslSettings(trustAll, truststore, password, type, AvroTlsProtocols.Read(context));
    }
}
