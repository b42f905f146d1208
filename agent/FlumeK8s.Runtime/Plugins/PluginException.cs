namespace FlumeK8s.Runtime.Plugins;

/// <summary>A plugin that cannot be loaded or built; the message names the plugin and the cause.</summary>
internal sealed class PluginException(string message, Exception? inner = null) : Exception(message, inner);
