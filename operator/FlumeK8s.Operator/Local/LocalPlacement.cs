using System.Globalization;
using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// A local agent process: its hop source on a loopback port of its own, its state in the work folder,
/// and the next tier as the static list of that tier's processes' loopback endpoints (what the
/// headless Service's DNS name would resolve to).
/// </summary>
internal sealed class LocalPlacement(int hopPort, string stateDirectory, IReadOnlyDictionary<(string Ns, string Tier), IReadOnlyList<int>> hopPorts)
    : IAgentPlacement
{
    public const string Loopback = "127.0.0.1";

    public string HopBind => Loopback;

    public int HopPort => hopPort;

    public string StateDirectory => stateDirectory;

    public bool SecuresHops => false;

    public string ForwardHosts(string ns, string tier) =>
        hopPorts.TryGetValue((ns, tier), out var ports)
            ? string.Join(' ', ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Loopback}:{p}")))
            : "";
}
