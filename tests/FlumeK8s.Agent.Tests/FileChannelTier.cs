namespace FlumeK8s.Agent.Tests;

/// <summary>
/// A tier's configuration for process tests: a network source on a loopback port into file channel
/// <c>disk</c>, whose avro sink sends to the next tier on another port (an <see cref="AvroCollector"/>,
/// or nothing: then the events stay in the channel).
/// </summary>
internal static class FileChannelTier
{
    public static string Config(string agent, string sourceType, int sourcePort, WorkDirectory work, int nextTierPort) => $"""
        {agent}.sources = r1
        {agent}.channels = disk
        {agent}.sinks = k1
        {agent}.sources.r1.type = {sourceType}
        {agent}.sources.r1.bind = 127.0.0.1
        {agent}.sources.r1.port = {sourcePort}
        {agent}.sources.r1.channels = disk
        {agent}.channels.disk.type = file
        {agent}.channels.disk.checkpointDir = {work.PathOf("checkpoint")}
        {agent}.channels.disk.dataDirs = {work.PathOf("data")}
        {agent}.sinks.k1.type = avro
        {agent}.sinks.k1.hostname = 127.0.0.1
        {agent}.sinks.k1.port = {nextTierPort}
        {agent}.sinks.k1.channel = disk
        {agent}.sinks.k1.errorBackoffSleep = 300
        {agent}.sinks.k1.maxBackoffSleep = 300
        """;
}
