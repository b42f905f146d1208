using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>How the configuration names and builds the <c>multiport_syslogtcp</c> source.</summary>
internal static class MultiportSyslogTcpSourceType
{
    public static ComponentType<SourcePlan> Type { get; } = new("multiport_syslogtcp", context =>
    {
        var settings = MultiportSyslogTcpSourceSettings.Read(context);
        return new SourcePlan(build => new MultiportSyslogTcpSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
    }, "org.apache.flume.source.MultiportSyslogTCPSource");
}
