using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>How the configuration names and builds the avro source.</summary>
internal static class AvroSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("avro", context =>
    {
        var settings = AvroSourceSettings.Read(context);
        return new SourcePlan(build => new AvroSource(build.Name, settings, build.Processor, build.Services));
    }, "org.apache.flume.source.AvroSource");
}
