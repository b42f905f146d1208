using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Adds <c>spec.flow.properties</c>, the raw Flume properties escape hatch, to a draft: names its
/// <c>agent.sources|channels|sinks|sinkgroups</c> list join the structured ones, every other key is
/// kept as written (re-escaped, so what the agent reads is what the text said).
/// </summary>
internal static class RawProperties
{
    private const string Field = "spec.flow.properties";

    public static void Add(FlowDraft draft, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        var problems = new ConfigProblems();
        var prefix = AgentLayout.AgentName + ".";
        foreach (var entry in PropertiesReader.Read(text, problems))
        {
            if (!entry.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                draft.Problem($"{Field} line {entry.Line}", $"'{entry.Key}' is not a key of agent '{AgentLayout.AgentName}': write {prefix}<sources|channels|sinks|sinkgroups>...");
                continue;
            }
            var key = entry.Key[prefix.Length..];
            if (draft.Lists.TryGetValue(key, out var names))
            {
                names.AddRange(entry.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                continue;
            }
            draft.Raw.Add((key, entry.Value));
        }
        foreach (var problem in problems.Errors)
        {
            draft.Problem($"{Field} line {problem.Line}", problem.Message);
        }
    }
}
