using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>The plugin API's settings reader over the agent's own: same getters, same problems with key and line.</summary>
internal sealed class PluginSettings(ComponentContext context) : IComponentSettings
{
    public string Name => context.Name;

    public bool Contains(string key) => context.Contains(key);

    public string? GetString(string key) => context.GetString(key);

    public string GetString(string key, string defaultValue) => context.GetString(key, defaultValue);

    public string Require(string key) => context.Require(key);

    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) => context.GetInt(key, defaultValue, min, max);

    public long GetLong(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue) => context.GetLong(key, defaultValue, min, max);

    public bool GetBool(string key, bool defaultValue) => context.GetBool(key, defaultValue);

    public string GetChoice(string key, string defaultValue, params string[] allowed) => context.GetChoice(key, defaultValue, allowed);

    public IReadOnlyList<string> GetList(string key) => context.GetList(key);

    public IReadOnlyDictionary<string, string> GetPrefixed(string prefix) => context.GetPrefixed(prefix);

    public void Error(string key, string message) => context.Error(key, message);

    public void Warning(string key, string message) => context.Warning(key, message);
}
