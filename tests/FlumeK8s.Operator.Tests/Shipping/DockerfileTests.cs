using System.Text.RegularExpressions;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>The Dockerfile and .dockerignore as text: what a container build would do with them. No container engine is needed.</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load(Path.Combine(RepositoryRoot.Path, "Dockerfile"));

    [Fact]
    public void Copy_EverySourceInTheContext_ExistsAndIsNotIgnored()
    {
        var ignore = DockerIgnore.Load(RepositoryRoot.Path);
        var copies = File.Stages.SelectMany(s => s.All("COPY")).Where(c => !c.Flags.ContainsKey("from")).ToList();

        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            foreach (var source in copy.Words.Take(copy.Words.Count - 1))
            {
                var path = Path.Combine(RepositoryRoot.Path, source);
                Assert.True(System.IO.File.Exists(path) || Directory.Exists(path), $"line {copy.Line}: {source} does not exist");
                Assert.False(ignore.Excludes(source), $"line {copy.Line}: {source} is excluded by .dockerignore");
            }
        }
    }

    [Fact]
    public void DockerIgnore_BuildOutputAndTests_StayOutOfTheContext()
    {
        var ignore = DockerIgnore.Load(RepositoryRoot.Path);

        Assert.True(ignore.Excludes("agent/FlumeK8s.Agent/bin/Debug/net10.0/flumek8s-agent.dll"));
        Assert.True(ignore.Excludes("operator/FlumeK8s.Operator/obj/project.assets.json"));
        Assert.True(ignore.Excludes("tests/FlumeK8s.Operator.Tests/Shipping/DockerfileTests.cs"));
        Assert.True(ignore.Excludes(".git/HEAD"));
        Assert.False(ignore.Excludes("agent/FlumeK8s.Runtime/Admin/AdminServer.cs"));
        Assert.False(ignore.Excludes("crds/agenttiers.flumek8s.io.yaml"));
    }

    [Fact]
    public void Stages_BuildOnTheSdk_RunOnDebian12()
    {
        Assert.Equal(2, File.Stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", File.Stage("build").BaseImage, StringComparison.Ordinal);
        Assert.Equal("debian:bookworm-slim", File.Final.BaseImage);
        Assert.Contains(File.Stage("build").All("RUN"), r => r.Rest.Contains("dotnet publish", StringComparison.Ordinal));
    }

    [Fact]
    public void RuntimeStage_InstallsNoSystemLibrdkafkaAndCleansTheLists()
    {
        var install = Assert.Single(File.Final.All("RUN"), r => r.Rest.Contains("apt-get install", StringComparison.Ordinal));

        // Kafka's native library comes with the programs, from the librdkafka.redist package.
        Assert.DoesNotContain("librdkafka", install.Rest, StringComparison.Ordinal);
        Assert.Contains("--no-install-recommends", install.Rest, StringComparison.Ordinal);
        Assert.Contains("rm -rf /var/lib/apt/lists/*", install.Rest, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeStage_RunsAsTheNumericUserWhoseGroupAgentPodsGet()
    {
        var user = File.Final.Last("USER").Rest.Split(':');

        // Kubernetes can only check runAsNonRoot against a numeric user.
        Assert.True(int.TryParse(user[0], out var uid) && uid > 0, $"USER {user[0]} is not a numeric non-root user");
        Assert.Equal(AgentLayout.FsGroup.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(user.Skip(1)));
    }

    [Fact]
    public void RuntimeStage_AgentIsTheEntrypoint_ProgramsOnPath_HealthCheckUsesTheAgent()
    {
        var final = File.Final;
        var app = final.All("COPY").Single(c => c.Flags.GetValueOrDefault("from") == "build").Words[1];

        Assert.Equal(["flumek8s-agent"], final.Last("ENTRYPOINT").Words);
        Assert.Contains($"PATH=\"{app}:", final.Last("ENV").Rest, StringComparison.Ordinal);
        Assert.Contains("DOTNET_EnableDiagnostics=0", final.Last("ENV").Rest, StringComparison.Ordinal);
        var check = final.Last("HEALTHCHECK").Rest;
        Assert.StartsWith("CMD [", check, StringComparison.Ordinal);
        Assert.Equal(["flumek8s-agent", "--health-check"], System.Text.Json.JsonSerializer.Deserialize<string[]>(check[4..])!);
        Assert.Contains("41414", final.Last("EXPOSE").Words);
    }

    [Fact]
    public void Version_SameInImageLabelsChartAndOperatorManifest()
    {
        var version = File.GlobalArgs["VERSION"];
        var chart = System.IO.File.ReadAllText(Path.Combine(RepositoryRoot.Path, "charts", "flumek8s", "Chart.yaml"));
        var manifest = System.IO.File.ReadAllText(Path.Combine(RepositoryRoot.Path, "operator", "deploy", "operator.yaml"));

        Assert.Contains($"appVersion: \"{version}\"", chart, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(manifest, Regex.Escape($"ghcr.io/flumek8s/flumek8s:{version}")));
        var labels = string.Join('\n', File.Final.All("LABEL").Select(l => l.Rest));
        Assert.Contains("org.opencontainers.image.version=\"${VERSION}\"", labels, StringComparison.Ordinal);
        Assert.Contains("org.opencontainers.image.source=", labels, StringComparison.Ordinal);
        Assert.Contains("org.opencontainers.image.licenses=\"Apache-2.0\"", labels, StringComparison.Ordinal);
    }
}
