using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sources.Seq;
using FlumeK8s.Runtime.Sources.Stress;
using FlumeK8s.Runtime.Sources.Syslog;

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
        Netcat.NetcatSourceType.Type,
        NetcatUdp.NetcatUdpSourceType.Type,
        Http.HttpSourceType.Type,
        new("syslogtcp", context =>
        {
            var settings = SyslogTcpSourceSettings.Read(context);
            return new SourcePlan(build => new SyslogTcpSource(build.Name, settings, build.Processor, build.Services), 1);
        }, "org.apache.flume.source.SyslogTcpSource"),
        new("syslogudp", context =>
        {
            var settings = SyslogUdpSourceSettings.Read(context);
            return new SourcePlan(build => new SyslogUdpSource(build.Name, settings, build.Processor, build.Services), 1);
        }, "org.apache.flume.source.SyslogUDPSource"),
        new("multiport_syslogtcp", context =>
        {
            var settings = MultiportSyslogTcpSourceSettings.Read(context);
            return new SourcePlan(build => new MultiportSyslogTcpSource(build.Name, settings, build.Processor, build.Services), settings.BatchSize);
        }, "org.apache.flume.source.MultiportSyslogTCPSource"),
        new("stress", context =>
        {
            var settings = StressSourceSettings.Read(context);
            return new SourcePlan(build => new StressSource(build.Name, settings, build.Processor, build.Services.Time), settings.BatchSize);
        }, "org.apache.flume.source.StressSource"),
        Exec.ExecSourceType.Definition,
        SpoolDir.SpoolDirSourceType.Definition,
        Taildir.TaildirSourceType.Definition,
    ];
}
