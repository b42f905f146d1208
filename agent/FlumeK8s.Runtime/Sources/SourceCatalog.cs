using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Sources;

/// <summary>The source types the configuration can name.</summary>
public static class SourceCatalog
{
    public static IReadOnlyList<ComponentType<SourcePlan>> All { get; } =
    [
        Seq.SeqSourceType.Type,
        Stress.StressSourceType.Type,
        Netcat.NetcatSourceType.Type,
        NetcatUdp.NetcatUdpSourceType.Type,
        Http.HttpSourceType.Type,
        Syslog.SyslogTcpSourceType.Type,
        Syslog.SyslogUdpSourceType.Type,
        Syslog.MultiportSyslogTcpSourceType.Type,
        Exec.ExecSourceType.Type,
        SpoolDir.SpoolDirSourceType.Type,
        Taildir.TaildirSourceType.Type,
        Hops.Avro.AvroSourceType.Type,
        Hops.Grpc.GrpcSourceType.Type,
        Kafka.KafkaSourceType.Type,
    ];
}
