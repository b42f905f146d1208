using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>How the configuration names and builds the grpc source.</summary>
internal static class GrpcSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("grpc", context =>
    {
        var settings = GrpcSourceSettings.Read(context);
        return new SourcePlan(build => new GrpcSource(build.Name, settings, build.Processor, build.Services));
    });
}
