using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sinks.Null;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sinks;

/// <summary><c>batches-in-flight</c>: one parse for every built-in sink, seen by the runner through ISink.</summary>
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
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Plan_NotGiven_TheDefault(string type, string[] required) =>
        Assert.Equal(BatchesInFlightSetting.Default, Build(type, required).BatchesInFlight);

    [Theory]
    [MemberData(nameof(Types))]
    public void Plan_Given_SeenThroughISink(string type, string[] required) =>
        Assert.Equal(5, Build(type, [.. required, "batches-in-flight=5"]).BatchesInFlight);

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("two")]
    public void Plan_OutOfRange_ErrorNamesTheKey(string value)
    {
        var (context, problems) = TestPipeline.Context("batches-in-flight=" + value);

        SinkCatalog.All.Single(t => t.Alias == "null").Configure(context);

        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1.batches-in-flight", error.Key);
    }

    [Fact]
    public async Task NullSink_FourBatchesInFlight_CountsEveryEventOnce()
    {
        var pipeline = new TestPipeline(capacity: 100_000);
        await pipeline.Processor.ProcessBatchAsync([.. Enumerable.Range(0, 20_000).Select(i => Event.FromText($"{i}"))], default);
        var sink = new NullSink("k1", pipeline.Channel, 100, 1000, NullLogger.Instance) { BatchesInFlight = 4 };

        await ConcurrentDrain.RunAsync(sink, 4);

        Assert.Equal(20_000, sink.Counter.EventsDrained);
        Assert.Equal(0, pipeline.Channel.Counter.Size);
    }

    private static ISink Build(string type, string[] properties)
    {
        var (context, problems) = TestPipeline.Context(properties);
        var plan = SinkCatalog.All.Single(t => t.Alias == type).Configure(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors.Select(e => $"{e.Key}: {e.Message}")));
        var pipeline = new TestPipeline();
        return plan.Create(new SinkBuild("k1", type, pipeline.Channel, pipeline.Services));
    }
}
