using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>
/// Certificates rotated on disk under running components, as cert-manager or a renewed Secret
/// does: every certificate, key and CA file of an mTLS hop is replaced by ones from a new CA while
/// a grpc sink keeps sending to a grpc source. New connections on either side use the new files;
/// the connection already open carries on; no event is lost.
/// </summary>
public sealed class GrpcCertificateRotationTests : IDisposable
{
    private readonly PythonGrpc _python = new();
    private readonly TestCertificates _before = new();
    private readonly TestCertificates _after = new();
    private readonly string _live = Path.Combine(Path.GetTempPath(), "flumek8s-live-certs-" + Guid.NewGuid().ToString("N"));

    public GrpcCertificateRotationTests()
    {
        Directory.CreateDirectory(_live);
        Install(_before);
    }

    public void Dispose()
    {
        _python.Dispose();
        _before.Dispose();
        _after.Dispose();
        Directory.Delete(_live, recursive: true);
    }

    [Fact]
    public async Task Rotation_EveryFileReplacedWhileTrafficFlows_NewConnectionsUseTheNewOnesAndNothingIsLost()
    {
        var receiver = new TestPipeline(capacity: 100_000);
        var source = await StartSourceAsync(receiver, port: 0);
        var port = source.Port;
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(100_000, 1000, TimeSpan.Zero, 1L << 30));
        var sink = await GrpcHarness.StartSinkAsync(channel, AgentServices.ForTests(), null,
            $"hosts=localhost:{port}", "batch-size=100", "minBackoff=50", "maxBackoff=200", "ssl=true", $"truststore={Live("ca.pem")}",
            $"ssl.certificate={Live("client.pem")}", $"ssl.key={Live("client-key.pem")}");
        try
        {
            await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 1000).Select(i => $"before-{i}"));
            var sending = GrpcHarness.DrainAsync(sink, channel);
            // The sink's connection is made with the old files before they are replaced (a first
            // batch acknowledged); the rest of the traffic flows across the swap.
            await Eventually.TrueAsync(() => sink.Counter.EventsDrained > 0, "the first batch acknowledged");
            Install(_after);
            await sending;

            // A new connection to the source that trusts only the new CA and shows a certificate
            // only the new CA signed: the source serves the new certificate and trusts the new CA.
            var (exitCode, lines) = await _python.RunClientAsync("--target", $"localhost:{port}", "--events", "1",
                "--ca", _after.CaFile, "--cert", _after.ClientCertificateFile, "--key", _after.ClientKeyFile);
            Assert.True(exitCode == 0, string.Join('\n', lines));
            var refused = await _python.RunClientAsync("--target", $"localhost:{port}", "--events", "1", "--ca", _before.CaFile,
                "--cert", _before.ClientCertificateFile, "--key", _before.ClientKeyFile);
            Assert.NotEqual(0, refused.ExitCode);

            // The sink's connection from before the rotation carries on.
            await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 1000).Select(i => $"during-{i}"));
            await GrpcHarness.DrainAsync(sink, channel);
            Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));

            // A restart of the receiver ends that connection; the sink's next one must present the
            // new client certificate and trust the new server certificate.
            await source.StopAsync(default);
            source = await StartSourceAsync(receiver, port);
            await GrpcHarness.PutAsync(channel, Enumerable.Range(0, 1000).Select(i => $"after-{i}"));
            await GrpcHarness.DrainAsync(sink, channel);
            Assert.Equal(2, sink.Counter.Get("ConnectionCreatedCount"));

            var arrived = receiver.DrainBodies().ToHashSet(StringComparer.Ordinal);
            foreach (var phase in new[] { "before", "during", "after" })
            {
                var missing = Enumerable.Range(0, 1000).Select(i => $"{phase}-{i}").Where(b => !arrived.Contains(b)).ToList();
                Assert.True(missing.Count == 0, $"{missing.Count} events sent {phase} the rotation were lost, e.g. {missing.FirstOrDefault()}");
            }
        }
        finally
        {
            await sink.StopAsync(default);
            await source.StopAsync(default);
        }
    }

    private Task<GrpcSource> StartSourceAsync(TestPipeline receiver, int port) =>
        GrpcHarness.StartSourceOnAsync(receiver, "127.0.0.1", port,
            "ssl=true", $"ssl.certificate={Live("server.pem")}", $"ssl.key={Live("server-key.pem")}",
            "ssl.clientAuth=required", $"ssl.clientCA={Live("ca.pem")}");

    private string Live(string name) => Path.Combine(_live, name);

    /// <summary>Puts a set's files in place, each replaced in one rename as Kubernetes swaps a Secret's files.</summary>
    private void Install(TestCertificates set)
    {
        foreach (var (from, to) in new[]
        {
            (set.CaFile, "ca.pem"), (set.ServerCertificateFile, "server.pem"), (set.ServerKeyFile, "server-key.pem"),
            (set.ClientCertificateFile, "client.pem"), (set.ClientKeyFile, "client-key.pem"),
        })
        {
            var staged = Live(to + ".new");
            File.Copy(from, staged, overwrite: true);
            File.Move(staged, Live(to), overwrite: true);
        }
    }
}
