using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Topology;

/// <summary>Text → properties → substitution → agent sections → validated plan, collecting every problem on the way.</summary>
public sealed class ConfigLoader(string agentName, Substitution substitution, ComponentCatalog catalog)
{
    public string AgentName => agentName;

    public LoadResult Load(string text)
    {
        var problems = new ConfigProblems();
        var entries = substitution.Apply(PropertiesReader.Read(text, problems), problems);
        var config = AgentConfiguration.Parse(entries, agentName, problems);
        var plan = TopologyPlanner.Plan(config, catalog, problems);
        return new LoadResult(problems.HasErrors ? null : plan, problems);
    }
}

/// <summary>A plan when the configuration is valid (null otherwise), and everything found wrong with it.</summary>
public sealed record LoadResult(TopologyPlan? Plan, ConfigProblems Problems);
