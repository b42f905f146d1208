using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sinks.Kafka;

/// <summary>How the configuration names and builds the <c>kafka</c> sink.</summary>
internal static class KafkaSinkType
{
    public static ComponentType<SinkPlan> Type { get; } = new("kafka", context =>
    {
        var settings = KafkaSinkSettings.Read(context);
        return new SinkPlan(build => new KafkaSink(build.Name, build.Channel, settings, build.Services),
            settings.BatchSize, KafkaSinkSettings.BatchSizeKey, BatchesMayOverlap: true);
    }, "org.apache.flume.sink.kafka.KafkaSink");
}
