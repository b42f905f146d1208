using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Seq;

/// <summary>How the configuration names and builds the <c>seq</c> source.</summary>
internal static class SeqSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("seq", context =>
    {
        var settings = SeqSourceSettings.Read(context);
        return new SourcePlan(build => new SeqSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
    }, "org.apache.flume.source.SequenceGeneratorSource");
}
