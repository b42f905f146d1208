using System.Diagnostics;
using System.Globalization;
using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Local;
using FlumeK8s.Operator.Tests.Cluster;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Certificates;

/// <summary>
/// A real flumek8s-agent running a collector's rendered configuration with certificates the operator's
/// issuer made, and Debian's openssl s_client as the stranger at its hop port (loopback only): a
/// sender with a certificate from the CA gets through, verifying the agent's chain and name; the
/// agent closes the connection of one without a certificate, or with one from another CA.
/// </summary>
[Trait("Category", "Slow")]
public sealed class IssuedCertificateHandshakeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string Receiver = """
        apiVersion: flumek8s.io/v1alpha1
        kind: CollectorTier
        metadata: {name: collectors, namespace: logs}
        spec:
          flow:
            channels: [{name: c1, type: memory}]
            sinks: [{name: k1, type: logger, channel: c1}]
        """;
    private readonly PodTlsFiles _tls = new();
    private readonly int[] _ports = FreePorts.Take(2);
    private Process? _agent;

    private int HopPort => _ports[0];

    public async Task InitializeAsync()
    {
        var config = Config(Render(Receiver))
            .Replace("agent.sources.hop.bind = 0.0.0.0", "agent.sources.hop.bind = 127.0.0.1", StringComparison.Ordinal)
            .Replace("agent.sources.hop.port = 4141", $"agent.sources.hop.port = {HopPort}", StringComparison.Ordinal);
        Assert.Contains("agent.sources.hop.ssl.clientAuth = required", config, StringComparison.Ordinal);
        var file = Path.Combine(_tls.Folder, "agent.properties");
        await File.WriteAllTextAsync(file, _tls.Mount(config));
        var agent = AgentExecutable.Find(null, out var problem) ?? throw new InvalidOperationException(problem);
        var info = new ProcessStartInfo(agent.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in agent.Prefix.Concat(["-n", "agent", "-f", file, "--no-reload-conf", "--http-bind", "127.0.0.1",
                     "--http-port", _ports[1].ToString(CultureInfo.InvariantCulture)]))
        {
            info.ArgumentList.Add(argument);
        }
        if (AgentExecutable.DotnetRoot is { } root)
        {
            info.Environment["DOTNET_ROOT"] = root;
        }
        _agent = Process.Start(info)!;
        _agent.OutputDataReceived += (_, _) => { };
        _agent.ErrorDataReceived += (_, _) => { };
        _agent.BeginOutputReadLine();
        _agent.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{_ports[1]}/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the agent to be ready", Timeout);
    }

    public async Task DisposeAsync()
    {
        if (_agent is { HasExited: false })
        {
            _agent.Kill(entireProcessTree: true);
            await _agent.WaitForExitAsync().WaitAsync(Timeout);
        }
        _agent?.Dispose();
        _tls.Dispose();
    }

    [Fact]
    public async Task Handshake_ClientCertificateFromTheCa_AcceptedAndTheServersChainVerifies()
    {
        var client = WriteClient("client", _tls.Authority);

        var result = await SClientAsync(client);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("Verify return code: 0 (ok)", result.Stdout, StringComparison.Ordinal);
        Assert.False(HopTlsProbe.Refused(result), result.ToString());
    }

    [Fact]
    public async Task Handshake_NoClientCertificate_ConnectionClosedByTheAgent()
    {
        var result = await SClientAsync(client: null);

        Assert.True(HopTlsProbe.Refused(result), result.ToString());
    }

    [Fact]
    public async Task Handshake_ClientCertificateFromAnotherCa_ConnectionClosedByTheAgent()
    {
        var stranger = WriteClient("stranger", CertificateIssuer.CreateAuthority("another CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(1)));

        var result = await SClientAsync(stranger);

        Assert.True(HopTlsProbe.Refused(result), result.ToString());
    }

    private string WriteClient(string name, IssuedPem authority)
    {
        var issued = CertificateIssuer.Issue(authority, new HopCertificateRequest(name, [], false, true), DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        var folder = Directory.CreateDirectory(Path.Combine(_tls.Folder, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "tls.crt"), issued.Certificate);
        File.WriteAllText(Path.Combine(folder, "tls.key"), issued.Key);
        return folder;
    }

    // The session stays open 2 s after the handshake, so a refusal that follows it (TLS 1.3 judges
    // the client's certificate after the server's Finished) reaches s_client as the connection closing.
    private Task<CommandResult> SClientAsync(string? client)
    {
        var command = $"sleep 2 | openssl s_client -connect 127.0.0.1:{HopPort} -servername localhost -verify_hostname localhost -verify_return_error " +
                      $"-CAfile '{_tls.TrustFile}' -alpn h2" + (client is null ? "" : $" -cert '{client}/tls.crt' -key '{client}/tls.key'");
        return CommandRunner.RunAsync("bash", ["-c", command], Timeout, CancellationToken.None);
    }
}
