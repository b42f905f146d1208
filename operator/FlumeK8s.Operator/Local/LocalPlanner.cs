using System.Globalization;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// Turns tiers into local processes, one per pod the cluster would run: a DaemonSet agent tier one per
/// node, a Deployment or a collector/store tier one per replica. Each is rendered by the operator's own
/// renderer with a <see cref="LocalPlacement"/> (loopback ports, state in the work folder) after its
/// volumes' mount paths were mapped into the work folder (<see cref="MountPathMapper"/>), then loaded
/// with the agent's loader in the environment the process will have. Cluster-only fields (image,
/// resources, storage size and class, node selection, tolerations, service account) have no local
/// meaning and are ignored.
/// </summary>
internal static class LocalPlanner
{
    /// <summary>
    /// Reads a tiers file and plans it when the cluster's checks pass; otherwise null, with every problem
    /// the reader and the renderer found, word for word as <c>render</c> reports them.
    /// </summary>
    public static LocalPlan? PlanFile(string yaml, WorkFolder folder, int nodes, Func<int> nextPort, out IReadOnlyList<string> problems)
    {
        var read = TierReader.Read(yaml);
        var found = read.Problems.ToList();
        foreach (var result in TierRenderer.RenderAll(read.Tiers, new RenderOptions()))
        {
            found.AddRange(result.Errors.Select(e => $"{Describe(result.Tier)}: {e}"));
        }
        problems = found;
        return found.Count == 0 ? Plan(read.Tiers, folder, nodes, nextPort) : null;
    }

    public static LocalPlan Plan(IReadOnlyList<ITier> tiers, WorkFolder folder, int nodes, Func<int> nextPort)
    {
        var problems = new List<string>();
        var notes = new List<string>();
        var nodeNames = Enumerable.Range(0, nodes).Select(n => string.Create(CultureInfo.InvariantCulture, $"node-{n}")).ToList();
        var pods = tiers.ToDictionary(t => t, t => Pods(t, nodeNames));
        var hopPorts = new Dictionary<(string, string), IReadOnlyList<int>>();
        var ports = new Dictionary<(ITier, int), int>();
        foreach (var tier in tiers.Where(t => t.Spec.ReceivesHops))
        {
            var list = pods[tier].Select((_, i) => ports[(tier, i)] = nextPort()).ToList();
            hopPorts[(Namespace(tier), tier.Metadata.Name)] = list;
        }
        foreach (var tier in tiers)
        {
            if (Forward(tier) is { } forward && !hopPorts.ContainsKey((Namespace(tier), forward.Name)))
            {
                problems.Add($"{Describe(tier)}: spec.forwardTo names {forward.Name}, which is not a collector or store tier of this file; local up runs only the tiers of the file");
            }
        }
        var processes = new List<LocalProcessSpec>();
        foreach (var tier in tiers)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < pods[tier].Count; i++)
            {
                var (pod, node) = pods[tier][i];
                var process = Process(tier, pod, node, ports.TryGetValue((tier, i), out var port) ? port : null, folder, hopPorts, nextPort, notes, out var errors);
                foreach (var error in errors.Where(seen.Add))
                {
                    problems.Add($"{Describe(tier)}: {error}");
                }
                if (process is not null)
                {
                    processes.Add(process);
                }
            }
        }
        if (processes.Count == 0 && problems.Count == 0)
        {
            problems.Add("the file holds no tier");
        }
        var last = processes.Where(p => p.Stage > 0 && Forward(p.Tier) is null).SelectMany(p => p.Outputs).Distinct(StringComparer.Ordinal).ToList();
        return new LocalPlan(processes, problems, notes, last);
    }

    private static LocalProcessSpec? Process(ITier tier, string pod, string node, int? hopPort, WorkFolder folder,
        IReadOnlyDictionary<(string, string), IReadOnlyList<int>> hopPorts, Func<int> nextPort, List<string> notes, out List<string> errors)
    {
        var ns = Namespace(tier);
        var state = tier is AgentTier { Spec.Workload: TierWorkload.DaemonSet } agent
            ? folder.OnNode(node, agent.Spec.Storage?.HostPath ?? $"{AgentLayout.StateDirectory}/{ns}/{tier.Metadata.Name}")
            : folder.PodState(ns, pod);
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        var outputs = new List<string>();
        foreach (var volume in tier.Spec.Pod.Volumes ?? [])
        {
            var local = volume switch
            {
                { HostPath: { } host } => folder.OnNode(node, host),
                { ClaimName: { } claim } => folder.Claim(ns, claim),
                // An emptyDir, Secret or ConfigMap is the pod's own; local up reads nothing from a cluster.
                _ => Path.Combine(folder.Pod(ns, pod), "volumes", volume.Name),
            };
            if (volume.Secret is not null || volume.ConfigMap is not null)
            {
                notes.Add($"{pod}: volume {volume.Name} comes from a {(volume.Secret is not null ? "Secret" : "ConfigMap")} in a cluster; here it is an empty directory, {local}");
            }
            mounts[volume.MountPath] = local;
            if (!volume.ReadOnly)
            {
                outputs.Add(local);
            }
        }
        var mapped = new MountPathMapper(mounts).Map(tier);
        var environment = LocalEnvironment.Build(tier, pod, node, notes);
        var options = new RenderOptions { Placement = new LocalPlacement(hopPort ?? 0, state, hopPorts) };
        var rendered = TierRenderer.RenderConfig(mapped, options);
        errors = rendered.Errors.Select(e => e.ToString()).ToList();
        if (rendered.Config is not { } config)
        {
            return null;
        }
        // The pod's environment is not the shell's: a ${env:X} the pod would resolve may be unset here.
        var loader = new ConfigLoader(AgentLayout.AgentName,
            new Substitution(new Dictionary<string, string>(), name => environment.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name)),
            ComponentCatalog.Default);
        errors.AddRange(loader.Load(config.Text).Problems.Errors.Select(e => $"{pod}: {e}"));
        return errors.Count > 0 ? null : new LocalProcessSpec(tier, pod, node, hopPort, nextPort(), folder.Pod(ns, pod), config.Text,
            environment, [state, .. mounts.Values], outputs, tier.Kind == TierKind.AgentTier ? TaildirInput.Find(mapped) : null);
    }

    /// <summary>The pods of a tier and their nodes: a DaemonSet's on every node, replicas spread over the nodes.</summary>
    private static List<(string Pod, string Node)> Pods(ITier tier, IReadOnlyList<string> nodes)
    {
        var name = tier.Metadata.Name;
        return tier.Spec.Workload == TierWorkload.DaemonSet
            ? nodes.Select(n => ($"{name}-{n}", n)).ToList()
            : Replicas(name, tier.Spec.Replicas, nodes);
    }

    private static List<(string, string)> Replicas(string name, int replicas, IReadOnlyList<string> nodes) =>
        Enumerable.Range(0, replicas).Select(i => (string.Create(CultureInfo.InvariantCulture, $"{name}-{i}"), nodes[i % nodes.Count])).ToList();

    private static ForwardTo? Forward(ITier tier) => tier.Spec.ForwardTo;

    private static string Namespace(ITier tier) => tier.Metadata.Namespace ?? TierReader.DefaultNamespace;

    public static string Describe(ITier tier) => $"{tier.Kind} {Namespace(tier)}/{tier.Metadata.Name}";
}
