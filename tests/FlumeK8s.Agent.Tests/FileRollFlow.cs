namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The durable half of the crash tests' agent a1: file channel c1 (small log files, frequent
/// checkpoints) drained by file_roll sink k1 into one folder, one event per line.
/// </summary>
internal static class FileRollFlow
{
    public static string Config(string checkpointDir, string dataDir, string outDir, int capacity, int sinkBatch) => $"""
        a1.channels = c1
        a1.sinks = k1
        a1.channels.c1.type = file
        a1.channels.c1.checkpointDir = {checkpointDir}
        a1.channels.c1.dataDirs = {dataDir}
        a1.channels.c1.capacity = {capacity}
        a1.channels.c1.transactionCapacity = 1000
        a1.channels.c1.checkpointInterval = 1000
        a1.channels.c1.maxFileSize = 8388608
        a1.channels.c1.minimumRequiredSpace = 0
        a1.sinks.k1.type = file_roll
        a1.sinks.k1.channel = c1
        a1.sinks.k1.sink.directory = {outDir}
        a1.sinks.k1.sink.batchSize = {sinkBatch}
        a1.sinks.k1.sink.rollInterval = 0
        """;

    /// <summary>Sink k1's batches in flight and channel c1's take fsync, as config lines (whatever k1's type).</summary>
    public static string Overlap(int batchesInFlight, bool deferTakeFsync) => $"""

        a1.sinks.k1.batches-in-flight = {batchesInFlight}
        a1.channels.c1.deferTakeFsync = {(deferTakeFsync ? "true" : "false")}
        """;
}
