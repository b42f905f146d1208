using System.Text;
using System.Text.Json;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Kafka;
using FlumeK8s.Runtime.Sources.Kafka;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>
/// The sink and source against an independent client: Debian's kcat (librdkafka's command-line
/// client) reads what the sink wrote and writes what the source reads, on the mock cluster's
/// loopback ports (reachable while this process owns the cluster).
/// </summary>
public sealed class KcatInteropTests(KafkaClusterFixture fixture) : IClassFixture<KafkaClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KafkaSink_KcatConsumes_BodiesKeysAndHeaders()
    {
        var topic = fixture.NewTopic(partitions: 1);
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(100, 100, TimeSpan.Zero, 1L << 30));
        var (context, _) = TestPipeline.Context($"kafka.bootstrap.servers={fixture.Cluster.BootstrapServers}", $"kafka.topic={topic}");
        var sink = new KafkaSink("k1", channel, KafkaSinkSettings.Read(context), AgentServices.ForTests());
        await sink.StartAsync(CancellationToken.None);
        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([Event.FromText("hello kcat", new() { ["key"] = "k1", ["app"] = "web" }), Event.FromText("second", new() { ["n"] = "2" })]);
            await put.CommitAsync(CancellationToken.None);
        }
        await Eventually.Within(sink.ProcessAsync(CancellationToken.None).AsTask(), Patience);
        await sink.StopAsync(CancellationToken.None);

        var output = await RunKcatAsync(null, "-b", fixture.Cluster.BootstrapServers, "-C", "-t", topic, "-o", "beginning", "-e", "-J", "-q");
        var records = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal("hello kcat", records[0].GetProperty("payload").GetString());
        Assert.Equal("k1", records[0].GetProperty("key").GetString());
        var headers = records[0].GetProperty("headers").EnumerateArray().Select(h => h.GetString()).ToList();
        Assert.Equal("web", headers[headers.IndexOf("app") + 1]);
        Assert.Equal("second", records[1].GetProperty("payload").GetString());
        Assert.Equal(["n", "2"], records[1].GetProperty("headers").EnumerateArray().Select(h => h.GetString()));
    }

    [Fact]
    public async Task KcatProduces_KafkaSourceReads_BodiesKeysAndHeaders()
    {
        var topic = fixture.NewTopic(partitions: 1);
        await RunKcatAsync("k1:first line\nk2:second line\n",
            "-b", fixture.Cluster.BootstrapServers, "-P", "-t", topic, "-K", ":", "-H", "origin=kcat", "-H", "env=test");

        var pipeline = new TestPipeline();
        var (context, _) = TestPipeline.Context($"kafka.bootstrap.servers={fixture.Cluster.BootstrapServers}", $"kafka.topics={topic}",
            "kafka.consumer.auto.offset.reset=earliest", "kafka.consumer.group.id=g-kcat", "batchDurationMillis=100");
        var source = new KafkaSource("r1", KafkaSourceSettings.Read(context), pipeline.Processor, pipeline.Services);
        await source.StartAsync(CancellationToken.None);
        var events = new List<Event>();
        await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count >= 2; }, "the two kcat records", Patience);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(["first line", "second line"], events.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Equal(["k1", "k2"], events.Select(e => e.GetHeader("key")));
        Assert.All(events, e => Assert.Equal("kcat", e.GetHeader("origin")));
        Assert.All(events, e => Assert.Equal("test", e.GetHeader("env")));
        Assert.Equal(["0", "1"], events.Select(e => e.GetHeader("offset")));
    }

    private static async Task<string> RunKcatAsync(string? input, params string[] arguments)
    {
        var (code, output, error) = await ExternalTool.RunAsync("kcat", input is null ? null : Encoding.UTF8.GetBytes(input), arguments);
        Assert.True(code == 0, $"kcat exited {code}: {error}");
        return Encoding.UTF8.GetString(output);
    }
}
