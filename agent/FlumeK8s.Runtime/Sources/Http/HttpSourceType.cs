using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>How the configuration names and builds the http source.</summary>
internal static class HttpSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("http", context =>
    {
        var settings = HttpSourceSettings.Read(context);
        return new SourcePlan(build => new HttpSource(build.Name, settings, build.Processor, build.Services));
    }, "org.apache.flume.source.http.HTTPSource");
}
