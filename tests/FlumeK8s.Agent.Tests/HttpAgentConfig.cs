namespace FlumeK8s.Agent.Tests;

/// <summary>
/// Agent a1 of the process tests that post numbered events (<see cref="Loopback.PostEventsAsync"/>):
/// an http source on a loopback port into channel c1, drained by sink k1; each test adds the
/// channel's and the sink's own lines.
/// </summary>
internal static class HttpAgentConfig
{
    public static string Of(int httpPort, string channel, string sink) => $"""
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = http
        a1.sources.r1.bind = 127.0.0.1
        a1.sources.r1.port = {httpPort}
        a1.sources.r1.channels = c1
        {channel}
        a1.sinks.k1.channel = c1
        {sink}
        """;

    /// <summary>The lines of a file channel c1 in the given directories, with no free-space floor (test disks are small).</summary>
    public static string FileChannel(string checkpointDir, string dataDir) => $"""
        a1.channels.c1.type = file
        a1.channels.c1.checkpointDir = {checkpointDir}
        a1.channels.c1.dataDirs = {dataDir}
        a1.channels.c1.minimumRequiredSpace = 0
        """;
}
