using System.Globalization;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// One local agent process standing for one pod: its rendered configuration, ports, environment and
/// folders. <see cref="Outputs"/> are its writable volumes (where a store writes its output);
/// <see cref="InputFile"/> is the application log file the generator writes on its node, when its
/// flow tails one.
/// </summary>
internal sealed record LocalProcessSpec(
    ITier Tier,
    string Pod,
    string Node,
    int? HopPort,
    int AdminPort,
    string Directory,
    string Config,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Folders,
    IReadOnlyList<string> Outputs,
    string? InputFile)
{
    public string ConfigFile => Path.Combine(Directory, AgentLayout.ConfigKey);

    public string LogFile => Path.Combine(Directory, "agent.log");

    public string TierName => Tier.Metadata.Name;

    /// <summary>The order of starting (ascending) and of stopping (sources first: agents, collectors, stores).</summary>
    public int Stage => Tier.Kind switch
    {
        TierKind.AgentTier => 0,
        TierKind.CollectorTier => 1,
        _ => 2,
    };

    /// <summary>The pod's agent arguments, with the admin endpoint on its own loopback port.</summary>
    public IReadOnlyList<string> Arguments =>
    [
        "-n", AgentLayout.AgentName, "-f", ConfigFile,
        "--reload-interval", AgentLayout.ReloadIntervalSeconds.ToString(CultureInfo.InvariantCulture),
        "--shutdown-grace", Tier.Spec.Pod.ShutdownGraceSeconds.ToString(CultureInfo.InvariantCulture),
        "--http-port", AdminPort.ToString(CultureInfo.InvariantCulture),
        "--http-bind", LocalPlacement.Loopback,
    ];
}
