using Grpc.Core;
using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Hops.Endpoints;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

public sealed class GrpcSinkTests
{
    [Fact]
    public async Task Process_ReceiverDown_RollsBackAndDeliversOnceItIsBack()
    {
        var receiver = new TestPipeline();
        var first = await GrpcHarness.StartSourceAsync(receiver);
        var port = first.Port;
        await first.StopAsync(default);
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, ["a", "b", "c"]);
        var time = new ManualTimeProvider();
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(time: time), null, $"hosts=127.0.0.1:{port}", "batch-size=2");
        try
        {
            var error = await Assert.ThrowsAsync<SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask());
            Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(error.InnerException).StatusCode);
            Assert.Equal(3, channel.Counter.Size);
            Assert.Equal(1, sink.Counter.Get("ConnectionFailedCount"));

            // Backing off: not even tried until its pause is over.
            await Assert.ThrowsAsync<SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask());
            Assert.Equal(1, sink.Counter.Get("ConnectionFailedCount"));

            var second = await GrpcHarness.StartSourceOnAsync(receiver, "127.0.0.1", port);
            try
            {
                time.Advance(TimeSpan.FromSeconds(2));
                await sink.ProcessAsync(default);
                await sink.ProcessAsync(default);
                await sink.ProcessAsync(default);

                Assert.Equal(["a", "b", "c"], receiver.DrainBodies());
                Assert.Equal(0, channel.Counter.Size);
                Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));
                // Flume counts every take: the two rolled-back ones were full batches too.
                Assert.Equal(3, sink.Counter.Get("BatchCompleteCount"));
                Assert.Equal(1, sink.Counter.Get("BatchUnderflowCount"));
                Assert.Equal(1, sink.Counter.Get("BatchEmptyCount"));
                Assert.Equal(3, sink.Counter.EventsDrained);
            }
            finally
            {
                await second.StopAsync(default);
            }
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    [Fact]
    public async Task Process_ReceiverNeverAnswers_TimesOutRollsBackThenAnotherEndpointGetsTheBatch()
    {
        var receiver = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(receiver);
        // Accepts connections on 127.0.0.2 and never says a word: a hung receiver.
        using var silent = new TcpListener(IPAddress.Parse("127.0.0.2"), source.Port);
        silent.Start();
        var resolver = new FakeHostResolver("127.0.0.2");
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, ["x", "y"]);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), resolver,
            $"hosts=dns:///collectors:{source.Port}", "request-timeout=2000", "dns.refreshInterval=100", "minBackoff=60000", "maxBackoff=60000");
        try
        {
            var error = await Eventually.Within(Assert.ThrowsAsync<SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask()));
            Assert.Equal(StatusCode.DeadlineExceeded, Assert.IsType<RpcException>(error.InnerException).StatusCode);
            Assert.Equal(2, channel.Counter.Size);

            resolver.Answer("127.0.0.2", "127.0.0.1");
            await Eventually.TrueAsync(() => sink.Balancer.Endpoints.Count == 2, "the new endpoint to be discovered");
            await Eventually.Within(sink.ProcessAsync(default).AsTask());

            Assert.Equal(["x", "y"], receiver.DrainBodies());
            Assert.Equal(0, channel.Counter.Size);
        }
        finally
        {
            await sink.StopAsync(default);
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Process_TlsReceiverNotTrusted_RollsBack()
    {
        using var certificates = new TestCertificates();
        var receiver = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(receiver,
            "ssl=true", $"ssl.certificate={certificates.ServerCertificateFile}", $"ssl.key={certificates.ServerKeyFile}");
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, ["t"]);
        var untrusting = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null,
            $"hosts=localhost:{source.Port}", "ssl=true", $"truststore={certificates.OtherCaFile}");
        var plain = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null, $"hosts=127.0.0.1:{source.Port}");
        var trusting = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null,
            $"hosts=localhost:{source.Port}", "ssl=true", $"truststore={certificates.CaFile}");
        try
        {
            await Assert.ThrowsAsync<SinkDeliveryException>(() => untrusting.ProcessAsync(default).AsTask());
            await Assert.ThrowsAsync<SinkDeliveryException>(() => plain.ProcessAsync(default).AsTask());
            Assert.Equal(1, channel.Counter.Size);

            await trusting.ProcessAsync(default);
            Assert.Equal(["t"], receiver.DrainBodies());
        }
        finally
        {
            await untrusting.StopAsync(default);
            await plain.StopAsync(default);
            await trusting.StopAsync(default);
            await source.StopAsync(default);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Process_GrpcSinkToGrpcSourceWithMutualTlsAndGzip_DeliversHeadersAndBodies(bool throughIntermediate)
    {
        // Both sides trust only the root: certificates of the intermediate CA verify only if each
        // side sends the intermediate from its PEM file along with its own certificate.
        using var certificates = new TestCertificates();
        var (serverCertificate, serverKey) = throughIntermediate
            ? (certificates.ChainedServerCertificateFile, certificates.ChainedServerKeyFile)
            : (certificates.ServerCertificateFile, certificates.ServerKeyFile);
        var (clientCertificate, clientKey) = throughIntermediate
            ? (certificates.ChainedClientCertificateFile, certificates.ChainedClientKeyFile)
            : (certificates.ClientCertificateFile, certificates.ClientKeyFile);
        var receiver = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(receiver,
            "ssl=true", $"ssl.certificate={serverCertificate}", $"ssl.key={serverKey}",
            "ssl.clientAuth=required", $"ssl.clientCA={certificates.CaFile}");
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 150).Select(i => $"m{i}"));
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null,
            $"hosts=localhost:{source.Port}", "ssl=true", $"truststore={certificates.CaFile}", "compression-type=gzip",
            $"ssl.certificate={clientCertificate}", $"ssl.key={clientKey}");
        try
        {
            await GrpcHarness.DrainAsync(sink, channel);

            var events = receiver.Drain();
            Assert.Equal(150, events.Count);
            Assert.Equal("v-m149", events[149].GetHeader("k"));
            Assert.Equal(2, source.Counter.Get("AppendBatchAcceptedCount"));
            Assert.Equal(1, source.Counter.Get("OpenConnectionCount"));

            await sink.StopAsync(default);
            Assert.Equal(1, sink.Counter.Get("ConnectionClosedCount"));
            await Eventually.TrueAsync(() => source.Counter.Get("OpenConnectionCount") == 0, "the source to see the connection close");
        }
        finally
        {
            await sink.StopAsync(default);
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Process_BatchLargerThanReceiverMaxMessage_SentInPartsThatFit()
    {
        var receiver = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(receiver, "maxMessageBytes=1024");
        var channel = NewChannel();
        var bodies = Enumerable.Range(0, 100).Select(i => $"event-{i:D3}-{new string('x', 40)}").ToList();
        await GrpcHarness.PutAsync(channel, bodies);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null, $"hosts=127.0.0.1:{source.Port}", "batch-size=100");
        try
        {
            Assert.Equal(PollStatus.Ready, await Eventually.Within(sink.ProcessAsync(default).AsTask()));

            Assert.Equal(bodies, receiver.DrainBodies());
            Assert.Equal(0, channel.Counter.Size);
            Assert.True(source.Counter.Get("AppendBatchAcceptedCount") >= 8, "100 events of about 100 bytes go in parts under 1 KiB");
        }
        finally
        {
            await sink.StopAsync(default);
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Process_EventLargerThanReceiverMaxMessage_FailsNamingTheCauseAndKeepsIt()
    {
        var receiver = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(receiver, "maxMessageBytes=1024");
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, ["small", new string('x', 2000)]);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null, $"hosts=127.0.0.1:{source.Port}", "batch-size=100");
        try
        {
            var error = await Eventually.Within(Assert.ThrowsAsync<SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask()));
            Assert.Contains("single event of 2000 body bytes", error.Message);
            Assert.Contains("maxMessageBytes", error.Message);
            Assert.Equal(2, channel.Counter.Size);

            // The receiver is healthy and not backed off: the next attempt reaches it and gets the same answer.
            error = await Eventually.Within(Assert.ThrowsAsync<SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask()));
            Assert.Contains("maxMessageBytes", error.Message);
        }
        finally
        {
            await sink.StopAsync(default);
            await source.StopAsync(default);
        }
    }

    private static MemoryChannel NewChannel() => new("c1", new MemoryChannelSettings(10000, 1000, TimeSpan.Zero, 1L << 30));
}
