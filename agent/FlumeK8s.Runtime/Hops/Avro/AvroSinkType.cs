using FlumeK8s.Runtime.Components;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>How the configuration names and builds the avro sink.</summary>
internal static class AvroSinkType
{
    public static ComponentType<SinkPlan> Type { get; } = new("avro", context =>
    {
        var settings = AvroSinkSettings.Read(context);
        return new SinkPlan(
            build => new AvroSink(build.Name, build.Channel, settings, build.Services.Time, build.Services.Logs.CreateLogger<AvroSink>()),
            settings.BatchSize,
            AvroSinkSettings.BatchSizeKey,
            BatchesMayOverlap: true);
    }, "org.apache.flume.sink.AvroSink");
}
