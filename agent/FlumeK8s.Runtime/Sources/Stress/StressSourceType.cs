using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Stress;

/// <summary>How the configuration names and builds the <c>stress</c> source.</summary>
internal static class StressSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("stress", context =>
    {
        var settings = StressSourceSettings.Read(context);
        return new SourcePlan(build => new StressSource(build.Name, settings, build.Processor, build.Services.Time), settings.BatchSize);
    }, "org.apache.flume.source.StressSource");
}
