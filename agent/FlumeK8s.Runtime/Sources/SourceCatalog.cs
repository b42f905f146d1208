using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sources.Seq;

namespace FlumeK8s.Runtime.Sources;

/// <summary>The source types the configuration can name.</summary>
public static class SourceCatalog
{
    public static IReadOnlyList<ComponentType<SourcePlan>> All { get; } =
    [
        new("seq", context =>
        {
            var settings = SeqSourceSettings.Read(context);
            return new SourcePlan(build => new SeqSource(build.Name, settings, build.Processor), settings.BatchSize);
        }, "org.apache.flume.source.SequenceGeneratorSource"),
        Exec.ExecSourceType.Definition,
        SpoolDir.SpoolDirSourceType.Definition,
        Taildir.TaildirSourceType.Definition,
    ];
}
