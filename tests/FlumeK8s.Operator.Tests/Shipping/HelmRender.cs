using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using FlumeK8s.Operator.Yaml;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// Renders charts/flumek8s as <c>helm template</c> would, with tests/helm-render (Go's text/template
/// and sprig, what Helm's engine is made of). The program is built once with Debian's Go packages and
/// kept in ~/.cache/flumek8s under the hash of its source.
/// </summary>
internal static class HelmRender
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Task<string>> Program = new(BuildAsync);

    public static string ChartDirectory => Path.Combine(RepositoryRoot.Path, "charts", "flumek8s");

    /// <summary>Renders with <paramref name="values"/> (YAML or JSON) over the chart's values.yaml.</summary>
    public static async Task<CommandResult> RunAsync(string release, string @namespace, string? values = null, bool notes = false)
    {
        var program = await Program.Value;
        List<string> arguments = ["--name", release, "--namespace", @namespace];
        string? valuesFile = null;
        if (values is not null)
        {
            valuesFile = Path.Combine(Path.GetTempPath(), $"flumek8s-values-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(valuesFile, values);
            arguments.AddRange(["--values", valuesFile]);
        }
        if (notes)
        {
            arguments.Add("--notes");
        }
        arguments.Add(ChartDirectory);
        try
        {
            return await CommandRunner.RunAsync(program, arguments, RenderTimeout, CancellationToken.None);
        }
        finally
        {
            if (valuesFile is not null)
            {
                File.Delete(valuesFile);
            }
        }
    }

    /// <summary>Renders and parses: every object of the output, failing the test when rendering fails.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ObjectsAsync(string release, string @namespace, string? values = null)
    {
        var result = await RunAsync(release, @namespace, values);
        Assert.True(result.Succeeded, $"helm-render: {result}");
        return [.. YamlJson.Read(result.Stdout).Select(d => d.Root!.AsObject())];
    }

    private static async Task<string> BuildAsync()
    {
        var sourceDirectory = Path.Combine(RepositoryRoot.Path, "tests", "helm-render");
        var source = await File.ReadAllBytesAsync(Path.Combine(sourceDirectory, "main.go"));
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "flumek8s",
            "helm-render-" + Convert.ToHexStringLower(SHA256.HashData(source))[..16]);
        var program = Path.Combine(cache, "helm-render");
        if (File.Exists(program))
        {
            return program;
        }
        Directory.CreateDirectory(cache);
        var building = Path.Combine(cache, $"helm-render.{Guid.NewGuid():N}.tmp");
        var goCache = Directory.CreateTempSubdirectory("flumek8s-go-build-").FullName;
        CommandResult result;
        try
        {
            // GOPATH mode: sprig and sigs.k8s.io/yaml come from Debian's packages in /usr/share/gocode.
            result = await CommandRunner.RunAsync("env",
                ["-C", sourceDirectory, "GO111MODULE=off", "GOPATH=/usr/share/gocode", "GOFLAGS=", "CGO_ENABLED=0",
                    $"GOCACHE={goCache}", "go", "build", "-o", building, "."],
                BuildTimeout, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(goCache, recursive: true);
        }
        Assert.True(result.Succeeded,
            "building tests/helm-render needs golang-go, golang-github-masterminds-sprig-dev and golang-k8s-sigs-yaml-dev " +
            $"(./test.sh installs them): {result}");
        // Another test run may have built it meanwhile: the rename makes either copy whole.
        File.Move(building, program, overwrite: true);
        return program;
    }
}
