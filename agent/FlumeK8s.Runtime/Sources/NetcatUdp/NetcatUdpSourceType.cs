using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.NetcatUdp;

/// <summary>How the configuration names and builds the netcatudp source.</summary>
internal static class NetcatUdpSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("netcatudp", context =>
    {
        var settings = NetcatUdpSourceSettings.Read(context);
        return new SourcePlan(build => new NetcatUdpSource(build.Name, settings, build.Processor, build.Services), BatchSize: 1);
    }, "org.apache.flume.source.NetcatUdpSource");
}
