using FlumeK8s.Plugins;

// The API version this plugin is compiled against: the agent loads it only if its own API has the same major.
[assembly: PluginApiVersion(PluginApi.Major, PluginApi.Minor)]
