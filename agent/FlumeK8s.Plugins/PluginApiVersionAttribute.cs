namespace FlumeK8s.Plugins;

/// <summary>Marks an assembly as a FlumeK8s plugin and records the API version it was built against.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class PluginApiVersionAttribute(int major, int minor) : Attribute
{
    public int Major { get; } = major;

    public int Minor { get; } = minor;
}
