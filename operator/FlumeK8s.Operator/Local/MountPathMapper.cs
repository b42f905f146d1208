using System.Text.RegularExpressions;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// Maps a pod's volume mount paths (<c>/var/log/apps</c>, <c>/archive</c>) to their folders in the
/// work folder, inside a tier's flow properties. This is string-level on purpose, and the only
/// string-level mapping of <c>local up</c>: mount paths appear inside free-form Flume property values
/// (a taildir pattern, a sink directory, an exec command line, a raw properties text) that the renderer
/// passes through verbatim, so there is no structure to hook. A mount path is replaced only where it
/// stands as a whole path prefix: not preceded by a path character, and followed by '/' or a character
/// that cannot continue a file name (so <c>/archive</c> leaves <c>/archived</c> and <c>/x/archive</c> alone).
/// </summary>
internal sealed class MountPathMapper
{
    private readonly IReadOnlyList<(Regex Pattern, string Local)> _mappings;

    /// <param name="mounts">mount path → local folder; longer mount paths win over their prefixes.</param>
    public MountPathMapper(IReadOnlyDictionary<string, string> mounts)
    {
        _mappings = mounts
            .Where(m => m.Key.TrimEnd('/').Length > 0)
            .OrderByDescending(m => m.Key.Length)
            .Select(m => (new Regex($@"(?<![\w./-]){Regex.Escape(m.Key.TrimEnd('/'))}(?![\w.-])", RegexOptions.CultureInvariant), m.Value))
            .ToList();
    }

    public string Map(string value)
    {
        foreach (var (pattern, local) in _mappings)
        {
            value = pattern.Replace(value, _ => local);
        }
        return value;
    }

    /// <summary>The tier with every property value of its flow, hop source and forwardTo mapped.</summary>
    public ITier Map(ITier tier) =>
        tier.With(spec: tier.Spec.WithHops(Map(tier.Spec.Flow), Map(tier.Spec.ForwardTo), Map(tier.Spec.HopSource)));

    private FlowSpec Map(FlowSpec flow) => flow with
    {
        Sources = flow.Sources?.Select(s => s with
        {
            Properties = Map(s.Properties),
            Interceptors = Map(s.Interceptors),
            Selector = s.Selector is null ? null : s.Selector with { Properties = Map(s.Selector.Properties) },
        }).ToList(),
        Channels = Map(flow.Channels),
        Sinks = flow.Sinks?.Select(s => s with { Properties = Map(s.Properties) }).ToList(),
        SinkGroups = flow.SinkGroups?.Select(g => g with
        {
            Processor = g.Processor is null ? null : g.Processor with { Properties = Map(g.Processor.Properties) },
        }).ToList(),
        Properties = flow.Properties is null ? null : Map(flow.Properties),
    };

    private ForwardTo? Map(ForwardTo? forward) => forward is null ? null : forward with { Properties = Map(forward.Properties) };

    private HopSource? Map(HopSource? hop) => hop is null ? null : hop with
    {
        Properties = Map(hop.Properties),
        Interceptors = Map(hop.Interceptors),
        Selector = hop.Selector is null ? null : hop.Selector with { Properties = Map(hop.Selector.Properties) },
    };

    private List<ComponentSpec>? Map(IReadOnlyList<ComponentSpec>? components) =>
        components?.Select(c => c with { Properties = Map(c.Properties) }).ToList();

    private Dictionary<string, string>? Map(IReadOnlyDictionary<string, string>? properties) =>
        properties?.ToDictionary(p => p.Key, p => Map(p.Value), StringComparer.Ordinal);
}
