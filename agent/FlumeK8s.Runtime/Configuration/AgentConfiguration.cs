namespace FlumeK8s.Runtime.Configuration;

/// <summary>
/// The entries of one agent, grouped by component as Flume groups them:
/// <c>agent.sources = r1</c> lists names; <c>agent.sources.r1.key = value</c> configures one.
/// Entries of other agents in the same file are ignored, as Flume does.
/// </summary>
public sealed class AgentConfiguration
{
    public static readonly IReadOnlyList<string> Kinds = ["sources", "channels", "sinks", "sinkgroups"];

    private AgentConfiguration(string agentName, bool isEmpty, IReadOnlyDictionary<string, IReadOnlyList<ComponentSection>> sections)
    {
        AgentName = agentName;
        IsEmpty = isEmpty;
        Sources = sections["sources"];
        Channels = sections["channels"];
        Sinks = sections["sinks"];
        SinkGroups = sections["sinkgroups"];
    }

    public string AgentName { get; }

    /// <summary>True when the file has no key for this agent at all.</summary>
    public bool IsEmpty { get; }

    public IReadOnlyList<ComponentSection> Sources { get; }

    public IReadOnlyList<ComponentSection> Channels { get; }

    public IReadOnlyList<ComponentSection> Sinks { get; }

    public IReadOnlyList<ComponentSection> SinkGroups { get; }

    public static AgentConfiguration Parse(IReadOnlyList<PropertyEntry> entries, string agentName, ConfigProblems problems)
    {
        var lists = new Dictionary<string, PropertyEntry>(StringComparer.Ordinal);
        var properties = Kinds.ToDictionary(k => k, _ => new Dictionary<string, Dictionary<string, PropertyEntry>>(StringComparer.Ordinal));
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var otherAgents = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var entry in entries)
        {
            var dot = entry.Key.IndexOf('.');
            if (dot <= 0)
            {
                problems.Error(entry.Key, entry.Line, "a key must start with the agent name and a dot (e.g. a1.sources)");
                continue;
            }
            if (entry.Key[..dot] != agentName)
            {
                otherAgents.Add(entry.Key[..dot]);
                continue;
            }
            if (seen.TryGetValue(entry.Key, out var firstLine))
            {
                problems.Error(entry.Key, entry.Line, $"defined twice (first on line {firstLine})");
                continue;
            }
            seen[entry.Key] = entry.Line;
            if (entry.Value.Length == 0)
            {
                problems.Error(entry.Key, entry.Line, "empty value");
                continue;
            }
            var rest = entry.Key[(dot + 1)..];
            var parts = rest.Split('.', 3);
            if (parts.Length == 1 && Kinds.Contains(parts[0]))
            {
                lists[parts[0]] = entry;
            }
            else if (parts.Length == 3 && Kinds.Contains(parts[0]) && parts[1].Length > 0 && parts[2].Length > 0)
            {
                var byName = properties[parts[0]];
                if (!byName.TryGetValue(parts[1], out var props))
                {
                    byName[parts[1]] = props = new Dictionary<string, PropertyEntry>(StringComparer.Ordinal);
                }
                props[parts[2]] = entry;
            }
            else
            {
                problems.Error(entry.Key, entry.Line,
                    $"not a key Flume knows: expected {agentName}.<sources|channels|sinks|sinkgroups> or {agentName}.<kind>.<name>.<property>");
            }
        }

        if (seen.Count == 0)
        {
            var others = otherAgents.Count > 0 ? $" (the file configures: {string.Join(", ", otherAgents)})" : "";
            problems.Error(agentName, 0, $"no configuration for agent '{agentName}'{others}");
        }

        var sections = Kinds.ToDictionary(k => k, k => Sections(agentName, k, lists.GetValueOrDefault(k), properties[k], problems));
        return new AgentConfiguration(agentName, seen.Count == 0, sections);
    }

    private static IReadOnlyList<ComponentSection> Sections(string agentName, string kind, PropertyEntry? list,
        Dictionary<string, Dictionary<string, PropertyEntry>> properties, ConfigProblems problems)
    {
        var names = list?.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
        var result = new List<ComponentSection>();
        foreach (var name in names)
        {
            if (name.Contains('.'))
            {
                problems.Error(list!.Key, list.Line, $"component name '{name}' contains a dot");
                continue;
            }
            if (result.Any(s => s.Name == name))
            {
                problems.Error(list!.Key, list.Line, $"'{name}' is listed twice");
                continue;
            }
            var props = properties.GetValueOrDefault(name) ?? [];
            var line = props.Count > 0 ? props.Values.Min(e => e.Line) : list!.Line;
            var context = new ComponentContext($"{agentName}.{kind}.{name}.", name, props, problems, line);
            result.Add(new ComponentSection(kind, name, context));
        }
        foreach (var (name, props) in properties)
        {
            if (!names.Contains(name))
            {
                var first = props.Values.MinBy(e => e.Line)!;
                problems.Error(first.Key, first.Line, $"'{name}' is configured but not listed in {agentName}.{kind}");
            }
        }
        return result;
    }
}
