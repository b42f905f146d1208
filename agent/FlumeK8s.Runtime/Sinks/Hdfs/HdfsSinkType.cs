using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sinks.Serialization;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>How the configuration names and builds the hdfs sink.</summary>
internal static class HdfsSinkType
{
    /// <summary>The hdfs type, with the serializers plugins add to the built-in ones.</summary>
    public static ComponentType<SinkPlan> Create(ISerializerCatalog? serializers) => new("hdfs", context =>
    {
        var settings = HdfsSinkSettings.Read(context, serializers);
        return new SinkPlan(
            build => new HdfsSink(build.Name, build.Channel, settings, build.Services.Time, build.Services.Logs.CreateLogger<HdfsSink>()),
            settings.BatchSize,
            HdfsSinkSettings.BatchSizeKey,
            BatchesMayOverlap: true);
    }, "org.apache.flume.sink.hdfs.HDFSEventSink");
}
