using System.Reflection;
using System.Runtime.Loader;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// One plugin's own load context: its private dependencies come from its folder (by its
/// <c>.deps.json</c>), so two plugins may carry different versions of the same library. The plugin API
/// and the logging abstractions it exposes are always the host's, so an <c>ISinkPlugin</c> in the
/// plugin is the <c>ISinkPlugin</c> the agent casts to; everything else the plugin does not carry
/// (the framework) falls through to the host as well.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath) : AssemblyLoadContext($"plugin:{Path.GetFileNameWithoutExtension(mainAssemblyPath)}")
{
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase)
    {
        typeof(FlumeK8s.Plugins.IEvent).Assembly.GetName().Name!,
        typeof(Microsoft.Extensions.Logging.ILogger).Assembly.GetName().Name!,
    };

    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && Shared.Contains(name))
        {
            return null;
        }
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
