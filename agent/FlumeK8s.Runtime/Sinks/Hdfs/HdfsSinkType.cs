using FlumeK8s.Runtime.Components;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>How the configuration names and builds the hdfs sink.</summary>
internal static class HdfsSinkType
{
    public static ComponentType<SinkPlan> Type { get; } = new("hdfs", context =>
    {
        var settings = HdfsSinkSettings.Read(context);
        return new SinkPlan(
            build => new HdfsSink(build.Name, build.Channel, settings, build.Services.Time, build.Services.Logs.CreateLogger<HdfsSink>()),
            settings.BatchSize,
            HdfsSinkSettings.BatchSizeKey);
    }, "org.apache.flume.sink.hdfs.HDFSEventSink");
}
