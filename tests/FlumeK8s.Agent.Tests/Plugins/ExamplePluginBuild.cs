using System.Diagnostics;

namespace FlumeK8s.Agent.Tests.Plugins;

/// <summary>
/// The plugins the tests load, built once per test run into a temporary plugins folder: the example
/// in examples/plugins/Acme.Logs as a user would build it, and a plugin declaring a future API major,
/// generated here. Built with <c>dotnet build</c> rather than referenced, so nothing of them reaches
/// the agent's own output folder.
/// </summary>
public sealed class ExamplePluginBuild : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("flumek8s-plugins-").FullName;

    /// <summary>A folder holding Acme.Logs/ only.</summary>
    public string ExampleFolder => Path.Combine(_root, "example");

    /// <summary>A folder holding a plugin built against API 2.0 (this agent has 1.x).</summary>
    public string FutureMajorFolder => Path.Combine(_root, "future");

    public async Task InitializeAsync()
    {
        await BuildAsync(Path.Combine(AgentProcess.RepositoryRoot, "examples", "plugins", "Acme.Logs"), Path.Combine(ExampleFolder, "Acme.Logs"));
        var source = Path.Combine(_root, "src", "Future.Logs");
        Directory.CreateDirectory(source);
        var api = Path.Combine(AgentProcess.RepositoryRoot, "agent", "FlumeK8s.Plugins", "FlumeK8s.Plugins.csproj");
        await File.WriteAllTextAsync(Path.Combine(source, "Future.Logs.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
              <ItemGroup><ProjectReference Include="{api}" Private="false" /></ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(source, "FutureSink.cs"), """
            [assembly: FlumeK8s.Plugins.PluginApiVersion(2, 0)]
            namespace Future.Logs;
            public sealed class FutureSink : FlumeK8s.Plugins.ISinkPlugin
            {
                public System.Threading.Tasks.ValueTask DeliverAsync(System.Collections.Generic.IReadOnlyList<FlumeK8s.Plugins.IEvent> batch, System.Threading.CancellationToken cancellationToken) => default;
            }
            """);
        await BuildAsync(source, Path.Combine(FutureMajorFolder, "Future.Logs"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task BuildAsync(string project, string output)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "build", project, "-o", output, "-nologo", "-v", "quiet" })
        {
            info.ArgumentList.Add(arg);
        }
        using var build = Process.Start(info)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        Assert.True(build.ExitCode == 0, $"dotnet build {project} failed:\n{await stdout}\n{await stderr}");
    }
}
