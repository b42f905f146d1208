namespace FlumeK8s.Plugins;

/// <summary>
/// The version of this API. A plugin records the version it was compiled against with
/// <c>[assembly: PluginApiVersion(PluginApi.Major, PluginApi.Minor)]</c> (the constants are copied
/// into the plugin when it is compiled). An agent loads a plugin whose major equals its own and whose
/// minor is not above its own: minors only add members with defaults, majors may change or remove them.
/// </summary>
public static class PluginApi
{
    public const int Major = 1;

    public const int Minor = 0;
}
