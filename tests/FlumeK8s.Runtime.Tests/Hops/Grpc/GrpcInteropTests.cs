using System.Text;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>Interoperability with the gRPC C core (Debian's python3-grpcio): its client sends to the grpc source, its server receives from the grpc sink.</summary>
public sealed class GrpcInteropTests : IDisposable
{
    private readonly PythonGrpc _python = new();
    private readonly TestCertificates _certificates = new();

    public void Dispose()
    {
        _python.Dispose();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Source_PythonClientPlainText_AcceptsEveryBatchWithHeadersAndBodies()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var (exitCode, lines) = await _python.RunClientAsync("--target", $"127.0.0.1:{source.Port}", "--batches", "3", "--events", "4");

            Assert.True(exitCode == 0, string.Join('\n', lines));
            Assert.Equal(["OK", "OK", "OK"], lines);
            var events = pipeline.Drain();
            Assert.Equal(12, events.Count);
            Assert.Equal("py-2-3", Encoding.UTF8.GetString(events[11].Body));
            Assert.Equal("2", events[11].GetHeader("batch"));
            Assert.Equal("3", events[11].GetHeader("event"));
            Assert.Equal(3, source.Counter.Get("AppendBatchAcceptedCount"));
            Assert.Equal(12, source.Counter.EventsAccepted);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Source_PythonClientGzip_AcceptsCompressedBatches()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var (exitCode, lines) = await _python.RunClientAsync("--target", $"127.0.0.1:{source.Port}", "--batches", "2", "--events", "50", "--body-size", "2000", "--gzip");

            Assert.True(exitCode == 0, string.Join('\n', lines));
            var bodies = pipeline.DrainBodies();
            Assert.Equal(100, bodies.Count);
            Assert.All(bodies, b => Assert.Equal(2000, b.Length));
            Assert.StartsWith("py-1-49", bodies[99], StringComparison.Ordinal);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Source_PythonClientTls_AcceptsOverTls()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline,
            "ssl=true", $"ssl.certificate={_certificates.ServerCertificateFile}", $"ssl.key={_certificates.ServerKeyFile}");
        try
        {
            var (exitCode, lines) = await _python.RunClientAsync("--target", $"localhost:{source.Port}", "--events", "2", "--ca", _certificates.CaFile);

            Assert.True(exitCode == 0, string.Join('\n', lines));
            Assert.Equal(["py-0-0", "py-0-1"], pipeline.DrainBodies());
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Source_MutualTls_AcceptsTheCaSignedClientAndRefusesOthersAndServerOnlyCertificates()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline,
            "ssl=true", $"ssl.certificate={_certificates.ServerCertificateFile}", $"ssl.key={_certificates.ServerKeyFile}",
            "ssl.clientAuth=required", $"ssl.clientCA={_certificates.CaFile}");
        try
        {
            var target = $"localhost:{source.Port}";
            var signed = await _python.RunClientAsync("--target", target, "--ca", _certificates.CaFile,
                "--cert", _certificates.ClientCertificateFile, "--key", _certificates.ClientKeyFile);
            var anonymous = await _python.RunClientAsync("--target", target, "--ca", _certificates.CaFile);
            var stranger = await _python.RunClientAsync("--target", target, "--ca", _certificates.CaFile,
                "--cert", _certificates.StrangerCertificateFile, "--key", _certificates.StrangerKeyFile);
            // Signed by the trusted CA, but for serverAuth only: no client's certificate.
            var serverOnly = await _python.RunClientAsync("--target", target, "--ca", _certificates.CaFile,
                "--cert", _certificates.ServerCertificateFile, "--key", _certificates.ServerKeyFile);

            Assert.True(signed.ExitCode == 0, string.Join('\n', signed.Lines));
            Assert.StartsWith("UNAVAILABLE", anonymous.Lines[0], StringComparison.Ordinal);
            Assert.StartsWith("UNAVAILABLE", stranger.Lines[0], StringComparison.Ordinal);
            Assert.StartsWith("UNAVAILABLE", serverOnly.Lines[0], StringComparison.Ordinal);
            Assert.Equal(["py-0-0"], pipeline.DrainBodies());
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Source_PythonClientOversizedOrChannelFull_GetsResourceExhaustedAndNothingIsWritten()
    {
        var pipeline = new TestPipeline(capacity: 5, transactionCapacity: 100);
        var source = await GrpcHarness.StartSourceAsync(pipeline, "maxMessageBytes=10000");
        try
        {
            var target = $"127.0.0.1:{source.Port}";
            var oversized = await _python.RunClientAsync("--target", target, "--events", "3", "--body-size", "5000");
            var full = await _python.RunClientAsync("--target", target, "--events", "6");
            var fits = await _python.RunClientAsync("--target", target, "--events", "5");

            Assert.StartsWith("RESOURCE_EXHAUSTED", oversized.Lines[0], StringComparison.Ordinal);
            Assert.StartsWith("RESOURCE_EXHAUSTED", full.Lines[0], StringComparison.Ordinal);
            Assert.Contains("full", full.Lines[0], StringComparison.Ordinal);
            Assert.Equal(["OK"], fits.Lines);
            Assert.Equal(5, pipeline.Drain().Count);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Theory]
    [InlineData("compression-type=none")]
    [InlineData("compression-type=gzip")]
    [InlineData("compression-type=gzip", "compression-level=9")]
    public async Task Sink_ToPythonServer_DeliversEveryEventAndCommits(params string[] compression)
    {
        await using var server = _python.StartServer();
        var port = await server.PortAsync();
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 25).Select(i => $"e{i}"));
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null,
            [$"hosts=127.0.0.1:{port}", "batch-size=10", .. compression]);
        try
        {
            await GrpcHarness.DrainAsync(sink, channel);

            await Eventually.TrueAsync(() => server.Events.Count == 25, "the Python server to print every event");
            Assert.Equal("{\"k\": \"v-e24\"} e24", server.Events[24]);
            Assert.Equal(25, sink.Counter.EventsDrained);
            Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    [Fact]
    public async Task Sink_ToPythonServerWithMutualTls_Delivers()
    {
        await using var server = _python.StartServer("--cert", _certificates.ServerCertificateFile, "--key", _certificates.ServerKeyFile,
            "--client-ca", _certificates.CaFile);
        var port = await server.PortAsync();
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, ["secret"]);
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null,
            $"hosts=localhost:{port}", "ssl=true", $"truststore={_certificates.CaFile}",
            $"ssl.certificate={_certificates.ClientCertificateFile}", $"ssl.key={_certificates.ClientKeyFile}");
        try
        {
            await GrpcHarness.DrainAsync(sink, channel);

            await Eventually.TrueAsync(() => server.Events.Count == 1, "the Python server to print the event");
            Assert.Equal("{\"k\": \"v-secret\"} secret", server.Events[0]);
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    [Fact]
    public async Task Sink_PythonServerAnswersResourceExhausted_RollsBackAndDeliversLater()
    {
        await using var server = _python.StartServer("--reject", "2");
        var port = await server.PortAsync();
        var channel = NewChannel();
        await GrpcHarness.PutAsync(channel, ["a", "b"]);
        var time = new ManualTimeProvider();
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(time: time), null, $"hosts=127.0.0.1:{port}");
        try
        {
            await Assert.ThrowsAsync<FlumeK8s.Runtime.Sinks.SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask());
            Assert.Equal(2, channel.Counter.Size);
            time.Advance(TimeSpan.FromMinutes(1));
            await Assert.ThrowsAsync<FlumeK8s.Runtime.Sinks.SinkDeliveryException>(() => sink.ProcessAsync(default).AsTask());
            time.Advance(TimeSpan.FromMinutes(1));
            await sink.ProcessAsync(default);

            Assert.Equal(0, channel.Counter.Size);
            await Eventually.TrueAsync(() => server.Events.Count == 2, "the third attempt to be printed");
            Assert.Equal(2, server.Rejected);
            Assert.Equal(2, sink.Counter.Get("EventWriteFail"));
        }
        finally
        {
            await sink.StopAsync(default);
        }
    }

    private static MemoryChannel NewChannel() => new("c1", new MemoryChannelSettings(1000, 100, TimeSpan.Zero, 1L << 30));
}
