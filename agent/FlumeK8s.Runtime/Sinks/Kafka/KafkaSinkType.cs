using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sinks.Kafka;

/// <summary>How the configuration names and builds the <c>kafka</c> sink.</summary>
internal static class KafkaSinkType
{
    public static ComponentType<SinkPlan> Type { get; } = new("kafka", context =>
    {
        var settings = KafkaSinkSettings.Read(context);
        var inFlight = BatchesInFlightSetting.Read(context);
        return new SinkPlan(build => new KafkaSink(build.Name, build.Channel, settings, build.Services) { BatchesInFlight = inFlight },
            settings.BatchSize, KafkaSinkSettings.BatchSizeKey);
    }, "org.apache.flume.sink.kafka.KafkaSink");
}
