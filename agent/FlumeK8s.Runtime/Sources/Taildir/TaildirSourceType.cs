using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>The <c>taildir</c> entry of the source catalog.</summary>
internal static class TaildirSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("taildir", context =>
    {
        var settings = TaildirSourceSettings.Read(context);
        return new SourcePlan(build => new TaildirSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
    }, "org.apache.flume.source.taildir.TaildirSource");
}
