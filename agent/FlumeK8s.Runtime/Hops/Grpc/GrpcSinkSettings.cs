using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>The grpc sink's properties, with the names Flume's Avro sink uses for the same things.</summary>
public sealed record GrpcSinkSettings(
    HostsSpec Hosts,
    int BatchSize,
    TimeSpan RequestTimeout,
    TimeSpan ConnectTimeout,
    bool Gzip,
    string Selector,
    CappedBackoff Backoff,
    TimeSpan DnsRefreshInterval,
    GrpcClientTls? Tls,
    int CompressionLevel = GrpcSinkSettings.DefaultCompressionLevel)
{
    /// <summary>zlib's fastest level, what grpc-dotnet's own gzip uses (bench/README.md "Hops").</summary>
    public const int DefaultCompressionLevel = 1;

    public const string BatchSizeKey = "batch-size";
    public const int DefaultBatchSize = 100;

    public static GrpcSinkSettings Read(ComponentContext context)
    {
        var hosts = HostsSpec.Read(context, "hosts", GrpcSourceSettings.DefaultPort);
        var minBackoff = context.GetLong("minBackoff", 1000, min: 1, max: 3_600_000);
        var maxBackoff = context.GetLong("maxBackoff", 30_000, min: 1, max: 3_600_000);
        if (maxBackoff < minBackoff)
        {
            context.Error("maxBackoff", $"{maxBackoff} is below minBackoff ({minBackoff})");
        }
        var gzip = context.GetChoice("compression-type", "none", "none", "gzip") == "gzip";
        var level = context.GetInt("compression-level", DefaultCompressionLevel, min: 1, max: 9);
        if (!gzip && context.Contains("compression-level"))
        {
            context.Error("compression-level", "applies only with compression-type = gzip");
        }
        return new GrpcSinkSettings(
            hosts,
            ReadBatchSize(context),
            TimeSpan.FromMilliseconds(context.GetLong("request-timeout", 20_000, min: 1, max: int.MaxValue)),
            TimeSpan.FromMilliseconds(context.GetLong("connect-timeout", 20_000, min: 1, max: int.MaxValue)),
            gzip,
            context.GetChoice("selector", RoundRobinEndpointPicker.Name, [.. EndpointBalancer.Selectors]),
            // ± 20 %: senders that lost a receiver together do not all come back to it at once.
            new CappedBackoff(TimeSpan.FromMilliseconds(minBackoff), TimeSpan.FromMilliseconds(Math.Max(minBackoff, maxBackoff)), Jitter: 0.2),
            TimeSpan.FromMilliseconds(context.GetLong("dns.refreshInterval", 10_000, min: 100, max: int.MaxValue)),
            GrpcClientTls.Read(context),
            level);
    }

    /// <summary>Flume's hop sinks spell it batch-size; batchSize, as every other sink spells it, is accepted too.</summary>
    private static int ReadBatchSize(ComponentContext context)
    {
        if (context.Contains(BatchSizeKey) && context.Contains("batchSize"))
        {
            context.Error("batchSize", $"give the batch size once, as {BatchSizeKey}");
        }
        return context.GetInt(BatchSizeKeyOf(context), DefaultBatchSize, min: 1);
    }

    /// <summary>The key the batch size was given under, for problems reported against it later.</summary>
    public static string BatchSizeKeyOf(ComponentContext context) =>
        context.Contains("batchSize") && !context.Contains(BatchSizeKey) ? "batchSize" : BatchSizeKey;
}
