using System.Runtime.InteropServices;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// The Dockerfile's build stage replayed on this machine, once per test class: its COPY lines bring
/// into a temp folder (standing for the stage's WORKDIR) exactly what they would bring from the build
/// context, .dockerignore applied, and its RUN lines run there with /bin/sh and the stage's ARG and
/// ENV values. A COPY that misses a file the build needs, or a publish that fails, fails here.
/// </summary>
public sealed class BuildStageReplay : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private readonly string _root = Directory.CreateTempSubdirectory("flumek8s-image-").FullName;

    internal Dockerfile Dockerfile { get; } = Dockerfile.Load(Path.Combine(RepositoryRoot.Path, "Dockerfile"));

    /// <summary>The folder standing for the build stage's WORKDIR.</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    /// <summary>What the final stage copies from the build stage: the image's programs.</summary>
    public string PublishDirectory { get; private set; } = "";

    /// <summary>Where the final stage puts them in the image.</summary>
    public string ImageAppDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var stage = Dockerfile.Stage("build");
        var workdir = stage.Last("WORKDIR").Rest;
        var ignore = DockerIgnore.Load(RepositoryRoot.Path);
        Directory.CreateDirectory(WorkDirectory);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["TARGETARCH"] = TargetArch() };
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "ARG":
                    var (name, value) = Dockerfile.Arg(instruction);
                    if (value is not null || Dockerfile.GlobalArgs.TryGetValue(name, out value))
                    {
                        environment[name] = value;
                    }
                    break;
                case "ENV":
                    foreach (var pair in instruction.Words)
                    {
                        environment[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..].Trim('"');
                    }
                    break;
                case "COPY" when !instruction.Flags.ContainsKey("from"):
                    Copy(instruction, ignore);
                    break;
                case "RUN":
                    await RunAsync(instruction, environment);
                    break;
            }
        }
        var publish = Dockerfile.Final.All("COPY").Single(c => c.Flags.GetValueOrDefault("from") == "build");
        var source = publish.Words[0];
        Assert.True(source.StartsWith(workdir + "/", StringComparison.Ordinal),
            $"line {publish.Line}: the program folder {source} is not under the build stage's WORKDIR {workdir}");
        PublishDirectory = Path.Combine(WorkDirectory, source[(workdir.Length + 1)..]);
        ImageAppDirectory = publish.Words[1];
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    // Docker names architectures as Go does.
    private static string TargetArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => throw new PlatformNotSupportedException($"no Docker architecture name for {other}"),
    };

    private void Copy(DockerfileInstruction instruction, DockerIgnore ignore)
    {
        var words = instruction.Words;
        var destination = words[^1];
        Assert.False(Path.IsPathRooted(destination), $"line {instruction.Line}: COPY to {destination}, outside the WORKDIR this replay stands for");
        foreach (var source in words.Take(words.Count - 1))
        {
            var from = Path.Combine(RepositoryRoot.Path, source);
            var relative = source.TrimEnd('/');
            Assert.True(File.Exists(from) || Directory.Exists(from), $"line {instruction.Line}: COPY source {source} does not exist");
            Assert.False(ignore.Excludes(relative), $"line {instruction.Line}: COPY source {source} is excluded by .dockerignore");
            if (Directory.Exists(from))
            {
                // A folder's contents go into the destination folder.
                foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                {
                    var inside = Path.GetRelativePath(from, file);
                    if (!ignore.Excludes(relative + "/" + inside.Replace('\\', '/')))
                    {
                        CopyFile(file, Path.Combine(WorkDirectory, destination, inside));
                    }
                }
            }
            else
            {
                var target = destination.EndsWith('/') ? Path.Combine(WorkDirectory, destination, Path.GetFileName(from)) : Path.Combine(WorkDirectory, destination);
                CopyFile(from, target);
            }
        }
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private async Task RunAsync(DockerfileInstruction instruction, Dictionary<string, string> environment)
    {
        // env -C: the command runs in the WORKDIR stand-in with the stage's ARG and ENV values, as under BuildKit.
        string[] arguments = ["-C", WorkDirectory, .. environment.Select(e => $"{e.Key}={e.Value}"), "/bin/sh", "-c", instruction.Rest];
        var result = await CommandRunner.RunAsync("env", arguments, RunTimeout, CancellationToken.None);
        Assert.True(result.Succeeded, $"Dockerfile line {instruction.Line}: RUN {instruction.Rest}\n{result}");
    }
}
