using System.Text;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Tests.Hops.Endpoints;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>One sink, several grpc sources behind one DNS name (127.0.0.1, .2, .3 on one port, as pods behind a headless Service).</summary>
public sealed class GrpcBalanceTests
{
    [Theory]
    [InlineData("round_robin", 0)]
    [InlineData("random", 250)]
    public async Task Balance_ThreeReceivers_EachGetsAboutAThird(string selector, int tolerance)
    {
        await using var receivers = await Receivers.StartAsync(3);
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 3000).Select(i => $"e{i}"));
        var resolver = new FakeHostResolver(receivers.Addresses);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), resolver,
            $"hosts=dns:///collectors:{receivers.Port}", "batch-size=10", $"selector={selector}");
        try
        {
            await GrpcHarness.DrainAsync(sink, channel);

            var counts = receivers.Pipelines.Select(p => p.Drain().Count).ToArray();
            Assert.Equal(3000, counts.Sum());
            Assert.All(counts, c => Assert.InRange(c, 1000 - tolerance, 1000 + tolerance));
            // One connection per receiver: long-lived HTTP/2 connections did not pin the sink to one.
            Assert.Equal(3, sink.Counter.Get("ConnectionCreatedCount"));
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    [Fact]
    public async Task Balance_ReceiverAddedWhileRunning_GetsItsShareFromTheNextBatches()
    {
        await using var receivers = await Receivers.StartAsync(3);
        var channel = NewChannel();
        var time = new ManualTimeProvider();
        var resolver = new FakeHostResolver(receivers.Addresses[..2]);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(time: time), resolver,
            $"hosts=dns:///collectors:{receivers.Port}", "batch-size=10");
        try
        {
            await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 600).Select(i => $"before{i}"));
            await GrpcHarness.DrainAsync(sink, channel);
            Assert.Equal([300, 300, 0], receivers.Pipelines.Select(p => p.Drain().Count));

            resolver.Answer(receivers.Addresses);
            time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => sink.Balancer.Endpoints.Count == 3, "the refresh to find the third receiver");
            await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 600).Select(i => $"after{i}"));
            await GrpcHarness.DrainAsync(sink, channel);

            Assert.Equal([200, 200, 200], receivers.Pipelines.Select(p => p.Drain().Count));
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    [Fact]
    public async Task Balance_ReceiverWithFullChannel_GetsLessTrafficAndNothingIsLost()
    {
        await using var receivers = await Receivers.StartAsync(3, fullCapacity: 30);
        var channel = NewChannel();
        var sent = Enumerable.Range(0, 3000).Select(i => $"e{i}").ToList();
        await GrpcHarness.PutAsync(channel, sent);
        var resolver = new FakeHostResolver(receivers.Addresses);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), resolver,
            $"hosts=dns:///collectors:{receivers.Port}", "batch-size=10", "minBackoff=20", "maxBackoff=200");
        try
        {
            await GrpcHarness.DrainAsync(sink, channel);

            var received = receivers.Pipelines.Select(p => p.Drain().Select(e => Encoding.UTF8.GetString(e.Body)).ToList()).ToArray();
            Assert.Equal(30, received[2].Count);
            Assert.True(receivers.Sources[2].Counter.ChannelWriteFails > 0, "the full receiver should have refused batches");
            Assert.True(received[0].Count > 1000 && received[1].Count > 1000, $"the others should carry the rest: {received[0].Count}, {received[1].Count}");
            Assert.Equal(sent.Order(), received.SelectMany(r => r).Order());
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    private static MemoryChannel NewChannel() => new("c1", new MemoryChannelSettings(10000, 1000, TimeSpan.Zero, 1L << 30));

    private sealed class Receivers : IAsyncDisposable
    {
        public required string[] Addresses { get; init; }

        public required int Port { get; init; }

        public required List<TestPipeline> Pipelines { get; init; }

        public required List<GrpcSource> Sources { get; init; }

        /// <param name="fullCapacity">When set, the last receiver's channel holds only this many events and is never drained.</param>
        public static async Task<Receivers> StartAsync(int count, int? fullCapacity = null)
        {
            var pipelines = Enumerable.Range(0, count)
                .Select(i => i == count - 1 && fullCapacity is { } capacity ? new TestPipeline(capacity, capacity) : new TestPipeline())
                .ToList();
            var sources = new List<GrpcSource> { await GrpcHarness.StartSourceAsync(pipelines[0]) };
            var port = sources[0].Port;
            for (var i = 1; i < count; i++)
            {
                sources.Add(await GrpcHarness.StartSourceOnAsync(pipelines[i], $"127.0.0.{i + 1}", port));
            }
            return new Receivers
            {
                Addresses = [.. Enumerable.Range(1, count).Select(i => $"127.0.0.{i}")],
                Port = port,
                Pipelines = pipelines,
                Sources = sources,
            };
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var source in Sources)
            {
                await source.StopAsync(default);
            }
        }
    }
}
