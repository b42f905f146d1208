using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Channels.Spillable;
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
        new("file", context =>
        {
            var agent = context.FullPrefix[..context.FullPrefix.IndexOf('.')];
            var settings = FileChannelSettings.Read(context, agent, context.Name);
            return new ChannelPlan(settings, build => new FileChannel(build.Name, settings, build.Services.Time, build.Services.Logs));
        }, "org.apache.flume.channel.file.FileChannel"),
        new("spillablememory", context =>
        {
            var agent = context.FullPrefix[..context.FullPrefix.IndexOf('.')];
            var settings = SpillableMemoryChannelSettings.Read(context, agent, context.Name);
            return new ChannelPlan(settings, build => new SpillableMemoryChannel(build.Name, settings, build.Services.Time, build.Services.Logs));
        }, "org.apache.flume.channel.SpillableMemoryChannel"),
        Kafka.KafkaChannelType.Type,
        Jdbc.JdbcChannelType.Type,
        Null.NullChannelType.Type,
    ];
}
