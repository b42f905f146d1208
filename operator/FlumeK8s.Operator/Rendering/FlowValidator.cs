using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Validates a rendered configuration with the agent's own loader, in the environment the agent
/// container will have: <c>${env:X}</c> resolves for the variables the pod defines (the tier's env
/// and the downward-API ones the renderer adds) and fails for any other, as it would in the pod. The
/// hop certificate's files exist only in the pod (its Secret is mounted there): the loader's check
/// that they exist is the one problem left out, for those paths alone. Plugin classes are the pod's
/// image's too: a type named by one is accepted with a warning and checked by the agent when it starts.
/// </summary>
internal static class FlowValidator
{
    /// <summary>Stands for a value known only in the pod (a Secret, a ConfigMap key, a pod field).</summary>
    public const string PodOnlyValue = "pod-value";

    private static readonly ComponentCatalog Catalog = ComponentCatalog.Default.LeavingPluginClassesUnchecked();

    public static ConfigProblems Validate(string text, ITier tier)
    {
        var environment = Environment(tier);
        var loader = new ConfigLoader(AgentLayout.AgentName,
            new Substitution(new Dictionary<string, string>(), name => environment.GetValueOrDefault(name)),
            Catalog);
        var found = loader.Load(text).Problems;
        var missingInPodOnly = HopTlsLayout.Applies(tier)
            ? HopTlsLayout.Files.Select(f => $"file '{f}' does not exist").ToHashSet(StringComparer.Ordinal)
            : [];
        var problems = new ConfigProblems();
        foreach (var error in found.Errors.Where(e => !missingInPodOnly.Contains(e.Message)))
        {
            problems.Error(error.Key, error.Line, error.Message);
        }
        foreach (var warning in found.Warnings)
        {
            problems.Warning(warning.Key, warning.Line, warning.Message);
        }
        return problems;
    }

    private static Dictionary<string, string> Environment(ITier tier)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PodEnvironment.PodName] = $"{tier.Metadata.Name}-0",
            [PodEnvironment.PodNamespace] = tier.Metadata.Namespace ?? TierReader.DefaultNamespace,
            [PodEnvironment.NodeName] = PodOnlyValue,
        };
        foreach (var variable in tier.Spec.Pod.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom is null ? variable.Value ?? "" : PodOnlyValue;
        }
        return environment;
    }
}
