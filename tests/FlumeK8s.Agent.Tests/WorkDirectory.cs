namespace FlumeK8s.Agent.Tests;

/// <summary>A temporary folder for one test's agent configurations and outputs, deleted with the test.</summary>
internal sealed class WorkDirectory(string prefix) : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes an agent configuration; returns its path for <c>-f</c>.</summary>
    public string WriteConfig(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The seq source's numbers as file_roll sinks wrote them into <paramref name="folders"/>, one per line.</summary>
    public List<long> ReadNumbers(params string[] folders) =>
        [.. folders.SelectMany(f => Directory.EnumerateFiles(PathOf(f))).SelectMany(File.ReadLines).Where(l => l.Length > 0).Select(long.Parse)];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
