using System.Text;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>The avro sink sending to the avro source over loopback: plain, deflated, over TLS, and under backpressure.</summary>
public sealed class AvroHopTests : IAsyncLifetime
{
    private readonly List<ILifecycle> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var component in Enumerable.Reverse(_started))
        {
            await Eventually.Within(component.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Batches_Plain_ArriveInOrderWithHeaders()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector);
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "batch-size=100");
        await FillAsync(agent, 250);

        Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));
        Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));
        Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));
        Assert.Equal(PollStatus.Backoff, await DeliverAsync(sink));

        var received = collector.Drain();
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"event {i}"), received.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Equal("7", received[7].GetHeader("n"));
        Assert.Equal("agent-1", received[7].GetHeader("host"));
        Assert.Equal(3, source.Counter.Get("AppendBatchReceivedCount"));
        Assert.Equal(3, source.Counter.Get("AppendBatchAcceptedCount"));
        Assert.Equal(250, source.Counter.EventsAccepted);
        Assert.Equal(250, sink.Counter.EventsDrained);
        Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));
        Assert.Equal(1, source.Counter.Get("OpenConnectionCount"));
    }

    [Fact]
    public async Task Batches_ThreeInFlight_OneCallAtATimeOnTheConnectionEveryEventOnceInOrder()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector);
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "batch-size=50");
        await FillAsync(agent, 1000);

        await ConcurrentDrain.RunAsync(sink, 3);

        var received = collector.Drain().Select(e => Encoding.UTF8.GetString(e.Body));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"event {i}"), received);
        Assert.Equal(20, source.Counter.Get("AppendBatchAcceptedCount"));
        Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));
    }

    [Fact]
    public async Task Batches_Deflate_ArriveThroughOneZlibStreamPerDirection()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector, "compression-type=deflate");
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "compression-type=deflate", "compression-level=9", "batch-size=10");
        await FillAsync(agent, 35);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));
        }

        Assert.Equal(35, collector.Drain().Count);
        Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));
    }

    [Fact]
    public async Task Compression_OnlyOneEnd_FailsTheDeliveryAndKeepsTheEvents()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector);
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "compression-type=deflate", "request-timeout=2000");
        await FillAsync(agent, 5);

        await Assert.ThrowsAsync<SinkDeliveryException>(() => DeliverAsync(sink));

        Assert.Empty(collector.Drain());
        Assert.Equal(5, agent.Drain().Count);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("pkcs12")]
    [InlineData("trust-all")]
    [InlineData("pem+deflate")]
    public async Task Batches_OverTls_Arrive(string trust)
    {
        using var certificates = new AvroTestCertificates();
        var deflate = trust.EndsWith("+deflate", StringComparison.Ordinal);
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector, "ssl=true", $"keystore={certificates.Keystore}", $"keystore-password={AvroTestCertificates.Password}",
            "keystore-type=PKCS12", $"compression-type={(deflate ? "deflate" : "none")}");
        var agent = new TestPipeline();
        string[] trustProperties = trust switch
        {
            "pkcs12" => [$"truststore={certificates.Pkcs12Truststore}", $"truststore-password={AvroTestCertificates.Password}", "truststore-type=PKCS12"],
            "trust-all" => ["trust-all-certs=true"],
            _ => [$"truststore={certificates.PemTruststore}"],
        };
        var sink = await StartSinkAsync(agent, source.Port, ["ssl=true", $"compression-type={(deflate ? "deflate" : "none")}", .. trustProperties]);
        await FillAsync(agent, 20);

        Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));

        Assert.Equal(20, collector.Drain().Count);
    }

    [Fact]
    public async Task Tls_ServerNotInTruststore_FailsAndKeepsTheEvents()
    {
        using var server = new AvroTestCertificates();
        using var other = new AvroTestCertificates();
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector, "ssl=true", $"keystore={server.Keystore}", $"keystore-password={AvroTestCertificates.Password}");
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "ssl=true", $"truststore={other.PemTruststore}");
        await FillAsync(agent, 3);

        await Assert.ThrowsAsync<SinkDeliveryException>(() => DeliverAsync(sink));

        Assert.Equal(1, sink.Counter.Get("ConnectionFailedCount"));
        Assert.Equal(3, agent.Drain().Count);
        Assert.Empty(collector.Drain());
    }

    [Fact]
    public async Task FullChannel_AnswersFailed_SinkRollsBackAndLaterSucceeds()
    {
        var collector = new TestPipeline(capacity: 10, transactionCapacity: 10);
        await FillAsync(collector, 5);
        var source = await StartSourceAsync(collector);
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "batch-size=10");
        await FillAsync(agent, 10);

        var failure = await Assert.ThrowsAsync<SinkDeliveryException>(() => DeliverAsync(sink));

        Assert.Contains("FAILED", failure.Message);
        Assert.Equal(5, collector.Drain().Count);
        Assert.Equal(1, source.Counter.ChannelWriteFails);
        Assert.Equal(0, source.Counter.Get("AppendBatchAcceptedCount"));
        Assert.Equal(1, sink.Counter.Get("ConnectionClosedCount"));

        Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"event {i}"), collector.DrainBodies());
        Assert.Equal(2, sink.Counter.Get("ConnectionCreatedCount"));
    }

    [Fact]
    public async Task Batch_OverServerMaxFrameSize_SentInPartsThatFit()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector, "max-frame-size=1024");
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "batch-size=100");
        await FillAsync(agent, 100);

        Assert.Equal(PollStatus.Ready, await DeliverAsync(sink));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"event {i}"), collector.DrainBodies());
        Assert.Empty(agent.Drain());
        Assert.True(source.Counter.Get("AppendBatchAcceptedCount") >= 4, "100 events of about 40 bytes go in parts under 1 KiB");
        Assert.True(source.Counter.Get("EventReadFail") >= 1, "the oversized frames were refused");
    }

    [Fact]
    public async Task Event_OverServerMaxFrameSize_FailsNamingTheCauseAndKeepsIt()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector, "max-frame-size=1024");
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, "batch-size=100");
        await agent.Processor.ProcessBatchAsync([Event.FromText(new string('x', 2000))], CancellationToken.None);

        var failure = await Assert.ThrowsAsync<SinkDeliveryException>(() => DeliverAsync(sink));

        Assert.Contains("single event of 2000 body bytes", failure.Message);
        Assert.Contains("raise max-frame-size", failure.Message);
        Assert.Single(agent.Drain());
        Assert.Empty(collector.Drain());
    }

    [Fact]
    public async Task NoServer_ConnectionFails_EventsStay()
    {
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, FlumeK8s.Tests.FreeLoopbackPort.Next(), "connect-timeout=2000");
        await FillAsync(agent, 4);

        await Assert.ThrowsAsync<SinkDeliveryException>(() => DeliverAsync(sink));

        Assert.Equal(1, sink.Counter.Get("ConnectionFailedCount"));
        Assert.Equal(4, agent.Drain().Count);
    }

    [Fact]
    public async Task ResetConnectionInterval_Elapsed_ReconnectsBeforeTheNextBatch()
    {
        var time = new ManualTimeProvider();
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector);
        var agent = new TestPipeline();
        var sink = await StartSinkAsync(agent, source.Port, time, "reset-connection-interval=60", "batch-size=1");
        await FillAsync(agent, 3);

        await DeliverAsync(sink);
        await DeliverAsync(sink);
        time.Advance(TimeSpan.FromSeconds(61));
        await DeliverAsync(sink);

        Assert.Equal(2, sink.Counter.Get("ConnectionCreatedCount"));
        Assert.Equal(1, sink.Counter.Get("ConnectionClosedCount"));
        Assert.Equal(3, collector.Drain().Count);
    }

    [Fact]
    public async Task PythonAvroRequestor_UnknownHashThenProtocol_IsAcceptedAndEventsArrive()
    {
        var collector = new TestPipeline();
        var source = await StartSourceAsync(collector);

        var output = await PythonAvro.RunAsync(AvroSourceProtocol.Json, "client", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "5");

        Assert.Equal(["OK", "OK"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var received = collector.Drain();
        Assert.Equal(["py-0", "py-1", "py-2", "py-3", "py-4", "single"], received.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Equal("python", received[0].GetHeader("from"));
        Assert.Equal(1, source.Counter.Get("AppendReceivedCount"));
        Assert.Equal(1, source.Counter.Get("AppendAcceptedCount"));
    }

    /// <summary>Builds and starts an avro source on a free loopback port; the caller stops it.</summary>
    internal static async Task<AvroSource> CreateSourceAsync(TestPipeline pipeline, AgentServices services, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(["bind=127.0.0.1", "port=0", .. properties]);
        var settings = AvroSourceSettings.Read(context);
        Assert.Empty(problems.Errors);
        var source = new AvroSource("r1", settings, pipeline.Processor, services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        return source;
    }

    private async Task<AvroSource> StartSourceAsync(TestPipeline pipeline, params string[] properties)
    {
        var source = await CreateSourceAsync(pipeline, pipeline.Services, properties);
        _started.Add(source);
        return source;
    }

    private Task<AvroSink> StartSinkAsync(TestPipeline agent, int port, params string[] properties) =>
        StartSinkAsync(agent, port, TimeProvider.System, properties);

    private async Task<AvroSink> StartSinkAsync(TestPipeline agent, int port, TimeProvider time, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(["hostname=127.0.0.1", $"port={port}", .. properties]);
        var settings = AvroSinkSettings.Read(context);
        Assert.Empty(problems.Errors);
        var sink = new AvroSink("k1", agent.Channel, settings, time, NullLogger.Instance);
        await Eventually.Within(sink.StartAsync(CancellationToken.None));
        _started.Add(sink);
        return sink;
    }

    internal static async Task FillAsync(TestPipeline pipeline, int count)
    {
        var events = Enumerable.Range(0, count)
            .Select(i => Event.FromText($"event {i}", new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["host"] = "agent-1" }))
            .ToList();
        await pipeline.Processor.ProcessBatchAsync(events, CancellationToken.None);
    }

    private static Task<PollStatus> DeliverAsync(AvroSink sink) => Eventually.Within(sink.ProcessAsync(CancellationToken.None).AsTask());
}
