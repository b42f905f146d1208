using System.Text.RegularExpressions;
using FlumeK8s.Operator.Rendering;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>
/// The image of tiers that name none is the one the operator is released in, whether it runs in the
/// cluster (operator/deploy, the chart) or from a checkout: moving the operator must not change pods.
/// </summary>
public sealed partial class ReleaseImageTests
{
    [Fact]
    public void DefaultImage_IsTheReleaseImageTaggedWithTheDockerfilesVersion()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot, "Dockerfile"));
        var version = DockerfileVersion().Match(dockerfile).Groups[1].Value;

        Assert.Equal($"ghcr.io/flumek8s/flumek8s:{version}", ReleaseImage.Name);
        Assert.Equal(ReleaseImage.Name, (string?)Container(Object(Render(Collector), "StatefulSet"))["image"]);
    }

    [Fact]
    public void DefaultImage_IsWhatTheDeployManifestAndTheChartRun()
    {
        var manifest = File.ReadAllText(Path.Combine(RepositoryRoot, "operator", "deploy", "operator.yaml"));
        var values = File.ReadAllText(Path.Combine(RepositoryRoot, "charts", "flumek8s", "values.yaml"));
        var chart = File.ReadAllText(Path.Combine(RepositoryRoot, "charts", "flumek8s", "Chart.yaml"));

        Assert.Equal(2, Regex.Count(manifest, $"(image: |- ){Regex.Escape(ReleaseImage.Name)}\n"));
        Assert.Contains($"repository: {ReleaseImage.Repository}\n", values, StringComparison.Ordinal);
        Assert.Contains($"appVersion: \"{ReleaseImage.Version}\"", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageOption_AndATiersOwnImage_OverrideTheDefault()
    {
        var withOption = TierRenderer.Render(Tier(Collector), new RenderOptions("registry.local/flumek8s:dev"));
        var withOwn = Render(Collector.Replace("  replicas: 3\n", "  replicas: 3\n  image: registry.example/flumek8s:1.2\n"));

        Assert.Equal("registry.local/flumek8s:dev", (string?)Container(Object(withOption, "StatefulSet"))["image"]);
        Assert.Equal("registry.example/flumek8s:1.2", (string?)Container(Object(withOwn, "StatefulSet"))["image"]);
    }

    [Fact]
    public void PullPolicy_IfNotPresentUnlessTheTierSaysOtherwise()
    {
        var byDefault = Render(Collector);
        var always = Render(Collector.Replace("  replicas: 3\n", "  replicas: 3\n  imagePullPolicy: Always\n"));

        Assert.Equal("IfNotPresent", (string?)Container(Object(byDefault, "StatefulSet"))["imagePullPolicy"]);
        Assert.Equal("IfNotPresent", (string?)Container(Object(Render(Agent), "DaemonSet"))["imagePullPolicy"]);
        Assert.Equal("Always", (string?)Container(Object(always, "StatefulSet"))["imagePullPolicy"]);
    }

    [GeneratedRegex(@"(?m)^ARG VERSION=(\S+)$")]
    private static partial Regex DockerfileVersion();
}
