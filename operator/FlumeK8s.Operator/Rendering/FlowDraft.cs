using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// The agent's properties being assembled: the component lists, the keys in the order they will be
/// written (each without the <c>agent.</c> prefix), and what the renderer itself found wrong.
/// </summary>
internal sealed class FlowDraft
{
    public Dictionary<string, List<string>> Lists { get; } = AgentConfiguration.Kinds.ToDictionary(k => k, _ => new List<string>(), StringComparer.Ordinal);

    public List<(string Key, string Value)> Structured { get; } = [];

    /// <summary>Keys of the raw <c>spec.flow.properties</c>, kept apart so they are written after the structured ones.</summary>
    public List<(string Key, string Value)> Raw { get; } = [];

    public List<ConfigProblem> Problems { get; } = [];

    public IEnumerable<(string Key, string Value)> All => Structured.Concat(Raw);

    public void List(string kind, string name) => Lists[kind].Add(name);

    public void Set(string key, string value) => Structured.Add((key, value));

    public void SetAll(string prefix, IReadOnlyDictionary<string, string>? properties)
    {
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            Set(prefix + key, value);
        }
    }

    public string? Get(string key) => All.Where(e => e.Key == key).Select(e => e.Value).FirstOrDefault();

    public bool Has(string key) => All.Any(e => e.Key == key);

    public void Problem(string field, string message) => Problems.Add(new ConfigProblem(field, 0, message));
}
