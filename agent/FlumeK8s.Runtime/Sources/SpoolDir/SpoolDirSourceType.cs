using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>The <c>spooldir</c> entry of the source catalog.</summary>
internal static class SpoolDirSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("spooldir", context =>
    {
        var settings = SpoolDirSourceSettings.Read(context);
        return new SourcePlan(build => new SpoolDirSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
    }, "org.apache.flume.source.SpoolDirectorySource");
}
