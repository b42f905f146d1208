using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sinks.Null;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sinks;

/// <summary><c>batches-in-flight</c>: one parse, by the planner, for every built-in sink; what the runner gets.</summary>
public sealed class BatchesInFlightSettingTests
{
    public static TheoryData<string, string[]> Types => new()
    {
        { "null", [] },
        { "logger", [] },
        { "file_roll", ["sink.directory=/tmp/flumek8s-never-written"] },
        { "hdfs", ["hdfs.path=/tmp/flumek8s-never-written"] },
        { "kafka", ["kafka.bootstrap.servers=127.0.0.1:9", "kafka.topic=t"] },
        { "avro", ["hostname=127.0.0.1", "port=9"] },
        { "grpc", ["hosts=127.0.0.1:9"] },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Plan_NotGiven_TheDefault(string type, string[] required) =>
        Assert.Equal(BatchesInFlightSetting.Default, PlannedSink(type, required).BatchesInFlight);

    [Theory]
    [MemberData(nameof(Types))]
    public void Plan_Given_WhatTheRunnerGets(string type, string[] required) =>
        Assert.Equal(5, PlannedSink(type, [.. required, "batches-in-flight=5"]).BatchesInFlight);

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("two")]
    public void Plan_OutOfRange_ErrorNamesTheKey(string value)
    {
        var loaded = Load("null", ["batches-in-flight=" + value]);

        Assert.Null(loaded.Plan);
        var error = Assert.Single(loaded.Problems.Errors);
        Assert.Equal("a1.sinks.k1.batches-in-flight", error.Key);
    }

    [Fact]
    public async Task Host_LoneSinkGetsItsBatchesInFlight_AGroupKeepsOne()
    {
        var loaded = Load("null", ["batches-in-flight=4"], """
            a1.sinks = k1 k2 k3
            a1.sinks.k2.type = null
            a1.sinks.k2.channel = c1
            a1.sinks.k2.batches-in-flight = 3
            a1.sinks.k3.type = null
            a1.sinks.k3.channel = c1
            a1.sinkgroups = g1
            a1.sinkgroups.g1.sinks = k2 k3
            a1.sinkgroups.g1.processor.type = failover
            """);
        Assert.True(loaded.Plan is not null, string.Join("; ", loaded.Problems.Errors.Select(e => $"{e.Key}: {e.Message}")));
        var host = new AgentHost(AgentServices.ForTests(), new MetricsRegistry());
        await Eventually.Within(host.ApplyAsync(loaded.Plan, CancellationToken.None));
        try
        {
            Assert.Equal(4, host.SinkRunners.Single(r => r.Name == "k1").BatchesInFlight);
            Assert.Equal(1, host.SinkRunners.Single(r => r.Name == "g1").BatchesInFlight);
        }
        finally
        {
            await Eventually.Within(host.ShutdownAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
    }

    [Fact]
    public async Task NullSink_FourBatchesInFlight_CountsEveryEventOnce()
    {
        var pipeline = new TestPipeline(capacity: 100_000);
        await pipeline.Processor.ProcessBatchAsync([.. Enumerable.Range(0, 20_000).Select(i => Event.FromText($"{i}"))], default);
        var sink = new NullSink("k1", pipeline.Channel, 100, 1000, NullLogger.Instance);

        await ConcurrentDrain.RunAsync(sink, 4);

        Assert.Equal(20_000, sink.Counter.EventsDrained);
        Assert.Equal(0, pipeline.Channel.Counter.Size);
    }

    private static SinkDefinition PlannedSink(string type, string[] properties)
    {
        var loaded = Load(type, properties);
        Assert.True(loaded.Plan is not null, string.Join("; ", loaded.Problems.Errors.Select(e => $"{e.Key}: {e.Message}")));
        return Assert.Single(loaded.Plan.Sinks);
    }

    private static LoadResult Load(string type, string[] properties, string more = "a1.sinks = k1") =>
        new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load($"""
            a1.channels = c1
            a1.channels.c1.type = memory
            a1.sinks.k1.type = {type}
            a1.sinks.k1.channel = c1
            {string.Join("\n", properties.Select(p => "a1.sinks.k1." + p))}
            {more}
            """);
}
