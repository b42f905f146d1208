using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// The programs the image would hold, published by the Dockerfile's own build stage (replayed once
/// for this class, about a minute), run from that one folder as the image runs them.
/// </summary>
public sealed class ImagePublishTests(BuildStageReplay image) : IClassFixture<BuildStageReplay>
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Publish_BothProgramsInOneFolder_WithTheRuntimeAndAspNetCore()
    {
        Assert.True(File.Exists(Path.Combine(image.PublishDirectory, "flumek8s-agent")));
        Assert.True(File.Exists(Path.Combine(image.PublishDirectory, "flumek8s")));
        // Self-contained: the image has no .NET installed.
        Assert.True(File.Exists(Path.Combine(image.PublishDirectory, "libcoreclr.so")));
        Assert.True(File.Exists(Path.Combine(image.PublishDirectory, "Microsoft.AspNetCore.Server.Kestrel.Core.dll")));
        Assert.Equal("/app", image.ImageAppDirectory);
    }

    [Fact]
    public async Task Render_MeituanExample_RunsWithoutAnInstalledDotnet()
    {
        var result = await RunAsync("flumek8s", "render", "-f", Path.Combine(RepositoryRoot.Path, "examples", "meituan", "tiers.yaml"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("kind: StatefulSet", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("kind: DaemonSet", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_WithoutAConnection_ExplainsAndFails()
    {
        var result = await RunAsync("flumek8s", "operator", "--kubeconfig", Path.Combine(image.WorkDirectory, "no-such-kubeconfig"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("flumek8s operator:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_RunsAFlumeConfig_HealthCheckPassesWhileItRunsAndFailsAfterItStops()
    {
        var portText = FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture);
        using var agent = StartAgent(Path.Combine(RepositoryRoot.Path, "examples", "flume", "seq-null.properties"), portText);
        var stdout = agent.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = agent.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            CommandResult check;
            while (!(check = await RunAsync("flumek8s-agent", "--health-check", "--http-port", portText)).Succeeded && !agent.HasExited)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the agent's health check did not pass within 60 s: {check}");
                await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            }
            if (agent.HasExited)
            {
                Assert.Fail($"the agent exited with {agent.ExitCode}: {await stderr}");
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Contains("CHANNEL.c1", await http.GetStringAsync(new Uri($"http://127.0.0.1:{portText}/metrics")), StringComparison.Ordinal);

            var term = await CommandRunner.RunAsync("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)], CommandTimeout, CancellationToken.None);
            Assert.True(term.Succeeded, term.ToString());
            await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(agent.ExitCode == 0, $"exit code {agent.ExitCode}\n{await stdout}\n{await stderr}");

            var after = await RunAsync("flumek8s-agent", "--health-check", "--http-port", portText);
            Assert.Equal(1, after.ExitCode);
            Assert.Contains("/healthz did not answer", after.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task HealthCheck_BadArguments_PrintsUsage()
    {
        var result = await RunAsync("flumek8s-agent", "--health-check", "--http-port", "not-a-port");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("usage: flumek8s-agent --health-check", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_CarriesOneLibrdkafka_TheBuildThatLoadsOnDebian12()
    {
        var libraries = Directory.EnumerateFiles(image.PublishDirectory, "*librdkafka*", SearchOption.AllDirectories);

        Assert.Equal([Path.Combine(image.PublishDirectory, LibrdkafkaForDebian())], libraries);
    }

    [Fact]
    public async Task Agent_KafkaSinkOnTheMockCluster_DeliversWithTheLibrdkafkaBesideIt()
    {
        var config = Path.Combine(RepositoryRoot.Path, "examples", "flume", "seq-kafka-mock.properties");
        var portText = FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture);
        using var agent = StartAgent(config, portText);
        var stderr = agent.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = agent.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(agent.HasExited, "the agent exited");
                var metrics = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{portText}/metrics"))).RootElement;
                return metrics.TryGetProperty("SINK.k1", out var sink) && sink.GetProperty("EventDrainSuccessCount").GetString() == "100";
            }, "the Kafka sink to deliver 100 events", TimeSpan.FromSeconds(60));

            var mapped = File.ReadLines($"/proc/{agent.Id}/maps")
                .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && fields[5].Contains("librdkafka", StringComparison.Ordinal))
                .Select(fields => fields[5].Trim())
                .Distinct();
            Assert.Equal([Path.Combine(image.PublishDirectory, LibrdkafkaForDebian())], mapped);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
            await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.DoesNotContain("Unhandled exception", await stderr, StringComparison.Ordinal);
    }

    // On linux-x64 the redist's generic build needs Red Hat's libsasl2.so.3, so Confluent.Kafka loads
    // its centos8 build; linux-arm64 has only the generic one (see Directory.Build.targets).
    private static string LibrdkafkaForDebian() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "centos8-librdkafka.so",
        Architecture.Arm64 => "librdkafka.so",
        var other => throw new PlatformNotSupportedException($"the image is built for amd64 and arm64, not {other}"),
    };

    // DOTNET_ROOT pointing nowhere, as in the image, where no .NET is installed.
    private Process StartAgent(string config, string port)
    {
        var info = new ProcessStartInfo(Path.Combine(image.PublishDirectory, "flumek8s-agent"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ROOT"] = "/nonexistent";
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var argument in new[] { "-n", "a1", "-f", config, "--http-port", port })
        {
            info.ArgumentList.Add(argument);
        }
        return CommandRunner.Start(info);
    }

    // DOTNET_ROOT pointing nowhere: a framework-dependent program would fail to start.
    private Task<CommandResult> RunAsync(string program, params string[] arguments) =>
        CommandRunner.RunAsync("env", ["DOTNET_ROOT=/nonexistent", "DOTNET_EnableDiagnostics=0", Path.Combine(image.PublishDirectory, program), .. arguments],
            CommandTimeout, CancellationToken.None);
}
