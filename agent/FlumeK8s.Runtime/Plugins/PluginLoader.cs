using System.Reflection;
using FlumeK8s.Plugins;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// Loads the plugins of a folder, each into a <see cref="PluginLoadContext"/> of its own: every
/// <c>*.dll</c> directly in it, and in every subfolder <c>X/</c> the assembly <c>X/X.dll</c> (its other
/// files are its dependencies, found through its <c>X.deps.json</c>). A plugin that cannot be used
/// (unreadable, not a plugin, built against another major version of the API, a dependency missing,
/// an alias taken) is a problem naming the file and the cause; the agent refuses to start on any.
/// </summary>
internal static class PluginLoader
{
    private static readonly Type[] Kinds = [typeof(ISourcePlugin), typeof(IChannelPlugin), typeof(ISinkPlugin), typeof(IInterceptorPlugin), typeof(IEventSerializerPlugin)];

    public static PluginSet Load(string directory, IReadOnlyList<string> builtInAliases)
    {
        if (!Directory.Exists(directory))
        {
            throw new PluginLoadException([$"plugins folder {directory} does not exist"]);
        }
        var problems = new List<string>();
        var assemblies = new List<(string Path, Assembly Assembly)>();
        var types = new List<PluginType>();
        foreach (var path in Candidates(directory))
        {
            var assembly = LoadOne(path, problems);
            if (assembly is null)
            {
                continue;
            }
            assemblies.Add((path, assembly));
            types.AddRange(ComponentClasses(assembly, path, problems));
        }
        CheckAliases(types, builtInAliases, problems);
        if (problems.Count > 0)
        {
            throw new PluginLoadException(problems);
        }
        return new PluginSet(directory, assemblies, types);
    }

    private static IEnumerable<string> Candidates(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            yield return file;
        }
        foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var main = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            if (File.Exists(main))
            {
                yield return main;
            }
        }
    }

    private static Assembly? LoadOne(string path, List<string> problems)
    {
        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(path).LoadFromAssemblyPath(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException or UnauthorizedAccessException
            or InvalidOperationException) // a malformed .deps.json
        {
            problems.Add($"plugin {path}: cannot be read as a .NET assembly: {e.Message}");
            return null;
        }
        PluginApiVersionAttribute? version;
        try
        {
            version = assembly.GetCustomAttribute<PluginApiVersionAttribute>();
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException)
        {
            // Its reference to FlumeK8s.Plugins is of a version this agent does not have.
            problems.Add($"plugin {path}: built against another plugin API than this agent's {PluginApi.Major}.{PluginApi.Minor}: {e.Message}");
            return null;
        }
        if (version is null)
        {
            problems.Add($"plugin {path}: not a FlumeK8s plugin: it declares no [assembly: PluginApiVersion(PluginApi.Major, PluginApi.Minor)]");
            return null;
        }
        if (version.Major != PluginApi.Major)
        {
            problems.Add($"plugin {path}: built against plugin API {version.Major}.{version.Minor}; this agent has API {PluginApi.Major}.{PluginApi.Minor} " +
                $"and loads plugins built against {PluginApi.Major}.x only: rebuild it against FlumeK8s.Plugins {PluginApi.Major}.x");
            return null;
        }
        if (version.Minor > PluginApi.Minor)
        {
            problems.Add($"plugin {path}: built against plugin API {version.Major}.{version.Minor}, newer than this agent's {PluginApi.Major}.{PluginApi.Minor}: " +
                "run an agent that has it, or rebuild the plugin against the older API");
            return null;
        }
        return assembly;
    }

    private static List<PluginType> ComponentClasses(Assembly assembly, string path, List<string> problems)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            var cause = e is ReflectionTypeLoadException load ? string.Join("; ", load.LoaderExceptions.Select(x => x?.Message).Distinct()) : e.Message;
            problems.Add($"plugin {path}: its types cannot be loaded (a dependency missing from its folder?): {cause}");
            return [];
        }
        return [.. exported.Where(t => t.IsClass && !t.IsAbstract && Kinds.Any(k => k.IsAssignableFrom(t))).Select(t => PluginType.Of(t, path))];
    }

    private static void CheckAliases(List<PluginType> types, IReadOnlyList<string> builtInAliases, List<string> problems)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var alias in builtInAliases)
        {
            seen.TryAdd(alias, $"a built-in component type '{alias}'");
        }
        foreach (var type in types)
        {
            if (seen.TryGetValue(type.Alias, out var owner))
            {
                problems.Add($"{type.Description}: its alias '{type.Alias}' is already {owner}");
            }
            else
            {
                seen[type.Alias] = type.Description;
            }
        }
    }
}
