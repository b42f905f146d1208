using System.Diagnostics;
using YamlDotNet.RepresentationModel;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary><c>flumek8s render</c> run as a real process.</summary>
public sealed class RenderCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("flumek8s-render-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Render_MeituanExample_Exit0AndAYamlStreamOfTheObjects()
    {
        var (exit, stdout, stderr) = await RunAsync(null, "render", "-f", Path.Combine(RepositoryRoot, "examples", "meituan", "tiers.yaml"));

        Assert.True(exit == 0, stderr);
        var stream = new YamlStream();
        stream.Load(new StringReader(stdout));
        var kinds = stream.Documents.Select(d => ((YamlScalarNode)((YamlMappingNode)d.RootNode)["kind"]).Value).ToList();
        Assert.Equal(["ConfigMap", "DaemonSet",
            "ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget",
            "ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget"], kinds);
        Assert.All(stream.Documents, d => Assert.Equal("logging", ((YamlScalarNode)((YamlMappingNode)d.RootNode)["metadata"]["namespace"]).Value));
        var config = (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode)["data"]["agent.properties"];
        Assert.Contains("agent.sinks.forward-buffer.hosts = dns:///collectors-headless.logging.svc.cluster.local:4141\n", config.Value);
    }

    [Fact]
    public async Task Render_FromStandardInputWithNamespaceAndImage_ObjectsInThatNamespace()
    {
        var (exit, stdout, stderr) = await RunAsync(Agent.Replace("namespace: logs", "namespace: prod"), "render", "-f", "-", "--namespace", "prod", "--image", "img:1");

        Assert.True(exit == 0, stderr);
        Assert.Contains("namespace: prod\n", stdout);
        Assert.Contains("image: img:1\n", stdout);
        Assert.Contains("warning: AgentTier prod/agents: spec.forwardTo: CollectorTier collectors is not among the rendered tiers", stderr);
    }

    [Fact]
    public async Task Render_InvalidFlow_Exit2WithTheValidatorsKeyAndLineAndNothingOnStdout()
    {
        var file = Path.Combine(_directory, "tiers.yaml");
        await File.WriteAllTextAsync(file, Collector.Replace("type: logger", "type: loger") + "\n---\n" + Agent);

        var (exit, stdout, stderr) = await RunAsync(null, "render", "-f", file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Matches(@"error: CollectorTier logs/collectors: line \d+: agent\.sinks\.out\.type: unknown sink type 'loger'", stderr);
    }

    [Fact]
    public async Task Render_InvalidDocument_Exit2WithTheField()
    {
        var file = Path.Combine(_directory, "tiers.yaml");
        await File.WriteAllTextAsync(file, Agent.Replace("spec:\n", "spec:\n  replicas: many\n"));

        var (exit, _, stderr) = await RunAsync(null, "render", "-f", file);

        Assert.Equal(2, exit);
        Assert.Contains("spec.replicas: must be an integer", stderr);
    }

    [Theory]
    [InlineData("render")]
    [InlineData("render", "-f")]
    [InlineData("render", "-f", "x.yaml", "--bogus")]
    [InlineData("apply", "-f", "x.yaml")]
    [InlineData]
    public async Task Run_UsageError_Exit64WithUsage(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(null, args);

        Assert.Equal(64, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: flumek8s render", stderr);
    }

    [Fact]
    public async Task Render_MissingFile_Exit2()
    {
        var (exit, _, stderr) = await RunAsync(null, "render", "-f", Path.Combine(_directory, "absent.yaml"));

        Assert.Equal(2, exit);
        Assert.Contains("cannot read", stderr);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "flumek8s.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout.WaitAsync(timeout.Token), await stderr.WaitAsync(timeout.Token));
    }
}
