namespace FlumeK8s.Operator.Local;

/// <summary>
/// How to start <c>flumek8s-agent</c>: the path given with <c>--agent</c>, else the one beside the
/// flumek8s executable (the image has both in /app; a build of flumek8s puts the agent in its output
/// folder through its project reference). A <c>.dll</c> runs on the dotnet host that runs flumek8s.
/// </summary>
internal sealed record AgentExecutable(string FileName, IReadOnlyList<string> Prefix)
{
    public const string Name = "flumek8s-agent";

    public static AgentExecutable? Find(string? given, out string? problem)
    {
        problem = null;
        if (given is not null)
        {
            var path = Path.GetFullPath(given);
            if (File.Exists(path))
            {
                return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new AgentExecutable(DotnetHost(), [path]) : new AgentExecutable(path, []);
            }
            problem = $"--agent {given}: no such file";
            return null;
        }
        var directory = AppContext.BaseDirectory;
        var dll = Path.Combine(directory, Name + ".dll");
        var apphost = Path.Combine(directory, Name);
        // Under `dotnet run` or `dotnet flumek8s.dll` the same host runs the agent, wherever the SDK lives;
        // the apphost would need DOTNET_ROOT when it is not in a standard place.
        if (IsDotnetHost(Environment.ProcessPath) && File.Exists(dll))
        {
            return new AgentExecutable(Environment.ProcessPath!, [dll]);
        }
        if (File.Exists(apphost))
        {
            return new AgentExecutable(apphost, []);
        }
        if (File.Exists(dll))
        {
            return new AgentExecutable(DotnetHost(), [dll]);
        }
        problem = $"{Name} is not beside flumek8s in {directory}; give its path with --agent";
        return null;
    }

    /// <summary>
    /// Where the running .NET lives, for an apphost agent (it looks in standard places only, or in
    /// DOTNET_ROOT): the shared runtime directory is <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>.
    /// </summary>
    public static string? DotnetRoot =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(
            System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'))));

    private static bool IsDotnetHost(string? path) => path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet";

    private static string DotnetHost() => IsDotnetHost(Environment.ProcessPath) ? Environment.ProcessPath! : "dotnet";
}
