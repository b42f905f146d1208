using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Channels;

/// <summary>The channel types the configuration can name.</summary>
public static class ChannelCatalog
{
    public static IReadOnlyList<ComponentType<ChannelPlan>> All { get; } =
    [
        new("memory", context =>
        {
            var settings = MemoryChannelSettings.Read(context);
            return new ChannelPlan(settings, build => new MemoryChannel(build.Name, settings, build.Services.Time));
        }, "org.apache.flume.channel.MemoryChannel"),
    ];
}
