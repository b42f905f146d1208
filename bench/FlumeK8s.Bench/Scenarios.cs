namespace FlumeK8s.Bench;

/// <summary>The benchmark's scenarios: seq → memory → null in one agent, and http → memory → null over loopback.</summary>
internal static class Scenarios
{
    public static IEnumerable<Scenario> All(int bodySize)
    {
        foreach (var (batch, events) in new[] { (1, 1_000_000L), (100, 10_000_000L), (1000, 30_000_000L) })
        {
            yield return new Scenario("seq → memory → null", batch, events, _ => SeqConfig(batch, events, bodySize, MemoryChannel(batch)));
        }
        foreach (var (batch, events) in new[] { (100, 3_000_000L), (1000, 10_000_000L) })
        {
            // At batch 100 only the defaults against one batch in flight: its runs are the long ones.
            foreach (var (suffix, channel, sink) in batch == 100 ? [Overlaps[0], Overlaps[1]] : Overlaps)
            {
                yield return new Scenario("seq → file → null" + suffix, batch, events,
                    dir => SeqConfig(batch, events, bodySize, FileChannel(dir, batch) + channel, NullSink(batch) + sink));
            }
            // The source's commits one at a time, as before batches in flight: the A/B pair of the row above.
            yield return new Scenario("seq → file → null, 1 source batch in flight", batch, events,
                dir => SeqConfig(batch, events, bodySize, FileChannel(dir, batch), sourceBatchesInFlight: "1"));
        }
        // The null channel alone: what a filtered event costs once the source made it (no sink, nothing kept).
        foreach (var (batch, events) in new[] { (100, 10_000_000L), (1000, 30_000_000L) })
        {
            yield return new Scenario("seq → null channel", batch, events, _ => SeqSource(batch, events, bodySize) + "a1.channels.c1.type = null\n",
                Watched: "flume_channel_event_discard_count{component=\"c1\",type=\"null\"}");
        }
        // The hdfs sink on the local file system: every batch appended (and by default fdatasync'ed) before its take commits.
        foreach (var (suffix, channel, sink) in Overlaps)
        {
            yield return new Scenario("seq → file → hdfs (local FS)" + suffix, 1000, 10_000_000L,
                dir => SeqConfig(1000, 10_000_000L, bodySize, FileChannel(dir, 1000) + channel, HdfsSink(dir, 1000, fsyncPerBatch: true) + sink), SinkType: "hdfs");
        }
        yield return new Scenario("seq → file → hdfs (local FS, fsyncPerBatch = false)", 1000, 10_000_000L,
            dir => SeqConfig(1000, 10_000_000L, bodySize, FileChannel(dir, 1000), HdfsSink(dir, 1000, fsyncPerBatch: false)), SinkType: "hdfs");
        // avro_event container files from a memory channel without fsync, so the figure is the encoding's.
        foreach (var codec in new[] { "null", "deflate" })
        {
            yield return new Scenario($"seq → memory → hdfs avro_event {codec} (local FS, fsyncPerBatch = false)", 1000, 5_000_000L,
                dir => SeqConfig(1000, 5_000_000L, bodySize, MemoryChannel(1000), HdfsSink(dir, 1000, fsyncPerBatch: false) + AvroEvent(codec)), SinkType: "hdfs");
        }
        foreach (var (batch, events) in new[] { (1, 100_000L), (100, 2_000_000L), (1000, 5_000_000L) })
        {
            var port = FreePort();
            yield return new Scenario("http → memory → null", batch, events, _ => HttpConfig(port, batch),
                (b, n, size, ct) => HttpLoad.RunAsync(port, b, n, size, ct));
        }
        foreach (var jdbc in JdbcScenarios.All(bodySize))
        {
            yield return jdbc;
        }
        foreach (var (batch, events) in new[] { (1000, 5_000_000L) })
        {
            yield return new Scenario("seq → memory → kafka (mock cluster)", batch, events, _ => KafkaConfig(batch, events, bodySize), SinkType: "kafka");
        }
    }

    /// <summary>
    /// The defaults (no suffix: two sink batches in flight, take commits wait for their fsync) against
    /// one and three batches in flight and the take commit returning before its fsync.
    /// </summary>
    private static readonly (string Suffix, string Channel, string Sink)[] Overlaps =
    [
        ("", "", ""),
        (" (1 batch in flight)", "", "\na1.sinks.k1.batches-in-flight = 1"),
        (" (3 batches in flight)", "", "\na1.sinks.k1.batches-in-flight = 3"),
        (" (take fsync deferred)", "\na1.channels.c1.deferTakeFsync = true", ""),
        (" (1 batch in flight, take fsync deferred)", "\na1.channels.c1.deferTakeFsync = true", "\na1.sinks.k1.batches-in-flight = 1"),
    ];

    public static int FreePort() => FlumeK8s.Tests.FreeLoopbackPort.Next();

    private static string HttpConfig(int port, int batch) => $"""
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = http
        a1.sources.r1.bind = 127.0.0.1
        a1.sources.r1.port = {port}
        a1.sources.r1.channels = c1
        a1.channels.c1.type = memory
        a1.channels.c1.capacity = {Math.Max(10_000, batch * 20)}
        a1.channels.c1.transactionCapacity = {batch}
        a1.sinks.k1.type = null
        a1.sinks.k1.batchSize = {batch}
        a1.sinks.k1.logEveryNEvents = 0
        a1.sinks.k1.channel = c1
        """;

    // The sink's own producer owns librdkafka's mock cluster (test.mock.num.brokers): three brokers
    // speaking the Kafka protocol on loopback inside the agent process, sharing its 2 cores.
    private static string KafkaConfig(int batch, long events, int bodySize) =>
        SeqConfig(batch, events, bodySize, MemoryChannel(batch), $"""
            a1.sinks.k1.type = kafka
            a1.sinks.k1.kafka.bootstrap.servers = mock
            a1.sinks.k1.kafka.producer.test.mock.num.brokers = 3
            a1.sinks.k1.kafka.topic = bench
            {(Environment.GetEnvironmentVariable("BENCH_KAFKA_LINGER_MS") is { } linger ? $"a1.sinks.k1.kafka.producer.linger.ms = {linger}" : "")}
            a1.sinks.k1.flumeBatchSize = {batch}
            a1.sinks.k1.channel = c1
            """);

    public static string MemoryChannel(int batch) => $"""
        a1.channels.c1.type = memory
        a1.channels.c1.capacity = {Math.Max(10_000, batch * 10)}
        a1.channels.c1.transactionCapacity = {batch}
        """;

    /// <summary>A file channel as Flume runs it by default: fsync on every commit.</summary>
    public static string FileChannel(string dir, int batch) => $"""
        a1.channels.c1.type = file
        a1.channels.c1.checkpointDir = {Path.Combine(dir, "checkpoint")}
        a1.channels.c1.dataDirs = {Path.Combine(dir, "data")}
        a1.channels.c1.capacity = 10000000
        a1.channels.c1.transactionCapacity = {batch}
        a1.channels.c1.minimumRequiredSpace = 0
        a1.channels.c1.fsyncPerTransaction = {Environment.GetEnvironmentVariable("BENCH_FSYNC") ?? "true"}
        """;

    /// <summary>The hdfs sink writing text files under the scratch directory, a directory per day, 128 MB files.</summary>
    public static string HdfsSink(string dir, int batch, bool fsyncPerBatch) => $"""
        a1.sinks.k1.type = hdfs
        a1.sinks.k1.channel = c1
        a1.sinks.k1.hdfs.path = {Path.Combine(dir, "hdfs")}/%Y-%m-%d
        a1.sinks.k1.hdfs.useLocalTimeStamp = true
        a1.sinks.k1.hdfs.fileType = DataStream
        a1.sinks.k1.hdfs.batchSize = {batch}
        a1.sinks.k1.hdfs.rollCount = 0
        a1.sinks.k1.hdfs.rollSize = 134217728
        a1.sinks.k1.hdfs.rollInterval = 30
        a1.sinks.k1.hdfs.fsyncPerBatch = {(fsyncPerBatch ? "true" : "false")}
        """;

    private static string AvroEvent(string codec) => $"""

        a1.sinks.k1.serializer = avro_event
        a1.sinks.k1.serializer.compressionCodec = {codec}
        """;

    public static string SeqConfig(int batch, long events, int bodySize, string channel, string? sink = null, string? sourceBatchesInFlight = null) => $"""
        {SeqSource(batch, events, bodySize, sourceBatchesInFlight)}
        a1.sinks = k1
        {channel}
        {sink ?? NullSink(batch)}
        """;

    /// <summary>
    /// The seq source r1 into channel c1, which the caller defines. Its batches in flight are the
    /// source's default unless given, or set for every scenario by BENCH_SOURCE_BATCHES_IN_FLIGHT (tuning).
    /// </summary>
    private static string SeqSource(int batch, long events, int bodySize, string? batchesInFlight = null) => $"""
        a1.sources = r1
        a1.channels = c1
        a1.sources.r1.type = seq
        a1.sources.r1.batchSize = {batch}
        a1.sources.r1.totalEvents = {events}
        a1.sources.r1.bodySize = {bodySize}
        a1.sources.r1.channels = c1
        {((batchesInFlight ?? Environment.GetEnvironmentVariable("BENCH_SOURCE_BATCHES_IN_FLIGHT")) is { } inFlight ? $"a1.sources.r1.batches-in-flight = {inFlight}" : "")}

        """;

    private static string NullSink(int batch) => $"""
        a1.sinks.k1.type = null
        a1.sinks.k1.batchSize = {batch}
        a1.sinks.k1.logEveryNEvents = 0
        a1.sinks.k1.channel = c1
        """;
}
