using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Kafka;

/// <summary>How the configuration names and builds the <c>kafka</c> source.</summary>
internal static class KafkaSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("kafka", context =>
    {
        var settings = KafkaSourceSettings.Read(context);
        return new SourcePlan(build => new KafkaSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
    }, "org.apache.flume.source.kafka.KafkaSource");
}
