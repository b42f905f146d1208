namespace FlumeK8s.Runtime.Plugins;

/// <summary>Every plugin of the folder that cannot be used, each with its file and cause.</summary>
internal sealed class PluginLoadException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems => problems;
}
