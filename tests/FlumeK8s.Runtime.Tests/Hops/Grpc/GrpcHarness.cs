using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>Builds grpc sources and sinks from properties as the configuration would, on loopback ports.</summary>
internal static class GrpcHarness
{
    public static Task<GrpcSource> StartSourceAsync(TestPipeline pipeline, params string[] properties) =>
        StartSourceOnAsync(pipeline, "127.0.0.1", 0, properties);

    /// <summary>Sources on 127.0.0.1, 127.0.0.2, … share one port, as pods behind a headless Service do.</summary>
    public static async Task<GrpcSource> StartSourceOnAsync(TestPipeline pipeline, string bind, int port, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context([$"bind={bind}", $"port={port}", .. properties]);
        var settings = GrpcSourceSettings.Read(context);
        Assert.Empty(problems.Errors);
        var source = new GrpcSource("r1", settings, pipeline.Processor, pipeline.Services);
        await Eventually.Within(source.StartAsync(default));
        return source;
    }

    public static GrpcSinkSettings SinkSettings(params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(properties);
        var settings = GrpcSinkSettings.Read(context);
        Assert.Empty(problems.Errors);
        return settings;
    }

    public static async Task<GrpcSink> StartSinkAsync(IChannel channel, AgentServices services, IHostResolver? resolver, params string[] properties)
    {
        var sink = new GrpcSink("k1", channel, SinkSettings(properties), services, resolver);
        await Eventually.Within(sink.StartAsync(default));
        return sink;
    }

    /// <summary>Puts one event per body (with a header k=v-body), in transactions of up to 100 events.</summary>
    public static async Task PutAsync(IChannel channel, IEnumerable<string> bodies)
    {
        foreach (var chunk in bodies.Chunk(100))
        {
            using var transaction = channel.BeginTransaction();
            transaction.PutBatch([.. chunk.Select(b => Event.FromText(b, new Dictionary<string, string> { ["k"] = "v-" + b }))]);
            await transaction.CommitAsync(default);
        }
    }

    /// <summary>Runs the sink until the channel is empty, as a sink runner would; failed deliveries (rolled back) are retried.</summary>
    public static async Task DrainAsync(GrpcSink sink, IChannel channel, TimeSpan? timeout = null)
    {
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                while (await sink.ProcessAsync(default) == PollStatus.Ready)
                {
                }
            }
            catch (SinkDeliveryException)
            {
                // Rolled back: the events are still in the channel for the next round.
            }
            return channel.Counter.Size == 0;
        }, "the sink to drain its channel", timeout);
    }
}
