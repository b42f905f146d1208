using System.Globalization;

namespace FlumeK8s.Bench;

/// <summary>
/// One sender → collector arrangement of the hop bench: the hop, its batch size, compression
/// (<c>none</c>, <c>gzip</c>, or <c>gzip:level</c>), batches in flight per sink, sinks on the
/// sender's channel, and the kind of channel on each side.
/// </summary>
internal sealed record HopScenario(
    string Hop,
    int Batch,
    string Compression = "none",
    int InFlight = 2,
    int Sinks = 1,
    string SenderChannel = "memory",
    string CollectorChannel = "memory",
    long Events = 10_000_000,
    bool Headers = false)
{
    public string Name
    {
        get
        {
            if (Hop == "avro")
            {
                return $"avro hop, collector {CollectorChannel} channel";
            }
            var compression = Compression == "none" ? "plain" : Compression;
            var sinks = Sinks == 1 ? "1 sink" : $"{Sinks} sinks";
            return string.Create(CultureInfo.InvariantCulture,
                $"grpc {compression}, batch {Batch}, {InFlight} in flight, {sinks}, {SenderChannel} → {CollectorChannel}");
        }
    }

    /// <summary>The sender's sink properties for sink <paramref name="sink"/>, on channel c1, to the collector's port.</summary>
    public string SinkConfig(string sink, int port)
    {
        var prefix = $"a1.sinks.{sink}.";
        if (Hop == "avro")
        {
            return $"""
                {prefix}type = avro
                {prefix}hostname = 127.0.0.1
                {prefix}port = {port}
                {prefix}batch-size = {Batch}
                {prefix}channel = c1
                """;
        }
        var (type, level) = Compression.Split(':') is [var t, var l] ? (t, l) : (Compression, null);
        return $"""
            {prefix}type = grpc
            {prefix}hosts = 127.0.0.1:{port}
            {prefix}batch-size = {Batch}
            {prefix}batches-in-flight = {InFlight}
            {prefix}compression-type = {type}
            {(level is null ? "" : $"{prefix}compression-level = {level}")}
            {prefix}channel = c1
            """;
    }
}
