using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Exec;

/// <summary>The <c>exec</c> entry of the source catalog.</summary>
internal static class ExecSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("exec", context =>
    {
        var settings = ExecSourceSettings.Read(context);
        return new SourcePlan(build => new ExecSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
    }, "org.apache.flume.source.ExecSource");
}
