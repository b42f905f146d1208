using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Channels.Kafka;

/// <summary>How the configuration names and builds the <c>kafka</c> channel.</summary>
internal static class KafkaChannelType
{
    public static ComponentType<ChannelPlan> Type { get; } = new("kafka", context =>
    {
        var settings = KafkaChannelSettings.Read(context);
        return new ChannelPlan(settings, build => new KafkaChannel(build.Name, settings, build.Services.Time, build.Services.Logs));
    }, "org.apache.flume.channel.kafka.KafkaChannel");
}
