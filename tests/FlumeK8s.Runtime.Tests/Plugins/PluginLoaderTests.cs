using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Plugins;

namespace FlumeK8s.Runtime.Tests.Plugins;

public sealed class PluginLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flumek8s-loader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PluginLoadException LoadFails() =>
        Assert.Throws<PluginLoadException>(() => PluginLoader.Load(_folder, ComponentCatalog.Default.Aliases));

    [Fact]
    public void Load_AssemblyWithoutPluginApiVersion_RefusedAsNotAPlugin()
    {
        var runtime = typeof(Events.Event).Assembly.Location;
        File.Copy(runtime, Path.Combine(_folder, Path.GetFileName(runtime)));

        var problem = Assert.Single(LoadFails().Problems);

        Assert.Contains("FlumeK8s.Runtime.dll: not a FlumeK8s plugin: it declares no [assembly: PluginApiVersion", problem);
    }

    [Fact]
    public void Load_AliasABuiltInTypeHas_RefusedNamingTheClassAndTheAlias()
    {
        // This assembly as a plugin of its own folder; what it references falls through to the host, which has it loaded.
        var plugin = Directory.CreateDirectory(Path.Combine(_folder, "FlumeK8s.Runtime.Tests")).FullName;
        File.Copy(typeof(AliasClashSink).Assembly.Location, Path.Combine(plugin, "FlumeK8s.Runtime.Tests.dll"));

        var problem = Assert.Single(LoadFails().Problems);

        Assert.Contains("FlumeK8s.Runtime.Tests.Plugins.AliasClashSink (plugin ", problem);
        Assert.Contains("its alias 'memory' is already a built-in component type 'memory'", problem);
    }

    [Fact]
    public void Load_MissingFolder_Refused()
    {
        var problem = Assert.Single(Assert.Throws<PluginLoadException>(() => PluginLoader.Load(Path.Combine(_folder, "absent"), [])).Problems);
        Assert.Contains("absent does not exist", problem);
    }
}
