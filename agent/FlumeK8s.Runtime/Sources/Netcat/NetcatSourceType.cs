using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>How the configuration names and builds the netcat source.</summary>
internal static class NetcatSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("netcat", context =>
    {
        var settings = NetcatSourceSettings.Read(context);
        // With acks every line is its own transaction; without, lines go in batches of batchSize.
        var batchSize = settings.AckEveryEvent ? 1 : settings.BatchSize;
        return new SourcePlan(build => new NetcatSource(build.Name, settings, build.Processor, build.Services), batchSize);
    }, "org.apache.flume.source.NetcatSource");
}
