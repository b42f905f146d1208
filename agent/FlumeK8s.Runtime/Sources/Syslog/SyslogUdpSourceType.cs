using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>How the configuration names and builds the <c>syslogudp</c> source.</summary>
internal static class SyslogUdpSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("syslogudp", context =>
    {
        var settings = SyslogUdpSourceSettings.Read(context);
        return new SourcePlan(build => new SyslogUdpSource(build.Name, settings, build.Processor, build.Services), 1);
    }, "org.apache.flume.source.SyslogUDPSource");
}
