using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>How the configuration names and builds the <c>syslogtcp</c> source.</summary>
internal static class SyslogTcpSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("syslogtcp", context =>
    {
        var settings = SyslogTcpSourceSettings.Read(context);
        return new SourcePlan(build => new SyslogTcpSource(build.Name, settings, build.Processor, build.Services), 1);
    }, "org.apache.flume.source.SyslogTcpSource");
}
