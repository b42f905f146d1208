namespace FlumeK8s.Operator.Rendering;

/// <summary>Where things are inside every agent pod, and the ports it serves; one place for all of it.</summary>
internal static class AgentLayout
{
    /// <summary>The agent name of every rendered configuration (<c>-n agent</c>).</summary>
    public const string AgentName = "agent";

    public const string ConfigDirectory = "/etc/flumek8s";
    public const string ConfigKey = "agent.properties";
    public const string ConfigFile = ConfigDirectory + "/" + ConfigKey;

    /// <summary>The tier's own volume: file channels and taildir positions live under it.</summary>
    public const string StateDirectory = "/var/lib/flumek8s";

    public const int HopPort = 4141;
    public const int AdminPort = 41414;

    /// <summary>Seconds between checks of the mounted configuration; a changed ConfigMap is hot-reloaded.</summary>
    public const int ReloadIntervalSeconds = 5;

    /// <summary>Collectors and stores wait this long after SIGTERM is due, so the endpoints controller and
    /// the upstream sinks' DNS re-resolution drop the pod before it stops accepting.</summary>
    public const int PreStopSeconds = 5;

    /// <summary>Beyond the drain grace and the preStop wait, time to close channels (a final checkpoint).</summary>
    public const int TerminationMarginSeconds = 10;

    /// <summary>The image's non-root user (the Dockerfile's USER).</summary>
    public const long UserId = 10001;

    /// <summary>The group of the image's non-root user; volumes are made writable for it.</summary>
    public const long FsGroup = 10001;

    /// <summary>
    /// How often the forwarding grpc sinks resolve the next tier's headless Service again, in ms: a
    /// new or returning pod gets traffic within this (plus the DNS server's cache) instead of the
    /// sink's Flume-style default of 10 s. One lookup per sink every few seconds costs nothing.
    /// </summary>
    public const string ForwardDnsRefreshMilliseconds = "5000";

    public const string DnsRefreshProperty = "dns.refreshInterval";

    public const string HopSourceName = "hop";
    public const string ForwardSinkPrefix = "forward-";
}
