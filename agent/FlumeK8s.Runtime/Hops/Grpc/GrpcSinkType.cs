using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>How the configuration names and builds the grpc sink.</summary>
internal static class GrpcSinkType
{
    public static ComponentType<SinkPlan> Type { get; } = new("grpc", context =>
    {
        var settings = GrpcSinkSettings.Read(context);
        return new SinkPlan(build => new GrpcSink(build.Name, build.Channel, settings, build.Services),
            settings.BatchSize, GrpcSinkSettings.BatchSizeKeyOf(context), BatchesMayOverlap: true);
    });
}
