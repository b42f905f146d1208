namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>The static escapes <c>%[localhost]</c>, <c>%[IP]</c> and <c>%[FQDN]</c>.</summary>
public enum HostEscape
{
    LocalHost,
    Ip,
    Fqdn,
}
