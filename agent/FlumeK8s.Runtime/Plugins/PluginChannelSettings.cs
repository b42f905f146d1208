using FlumeK8s.Runtime.Channels;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>What the agent knows of a plugin channel's settings: its class and the transaction capacity it reported.
/// A reload that keeps the channel keeps its instance and the settings it was built with.</summary>
internal sealed record PluginChannelSettings(string TypeName, int TransactionCapacity) : IChannelSettings;
