using System.Globalization;
using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>
/// The pod template of every tier's workload: one agent container reading the ConfigMap mounted at
/// /etc/flumek8s (a whole-directory mount, not subPath, so kubelet updates it and the agent
/// hot-reloads: the template carries no config hash and a config change restarts nothing), probes
/// on the admin port, and a termination grace longer than the agent's drain. The tier's pod fields
/// (<see cref="TierPodSpec"/>) add scheduling, labels and volumes; its security contexts are laid over
/// the defaults here, which are the least each workload needs.
/// </summary>
internal static class PodTemplate
{
    public const string ContainerName = "agent";
    public const string ConfigVolume = "config";
    public const string StateVolume = "state";
    private const string TmpVolume = "tmp";

    /// <param name="stateVolume">The source of the volume mounted at /var/lib/flumek8s (e.g. <c>("emptyDir", {})</c>);
    /// null when a volumeClaimTemplate of the same name provides it.</param>
    public static JsonObject Build(ITier tier, RenderOptions options, (string Kind, JsonObject Source)? stateVolume)
    {
        var spec = tier.Spec.Pod;
        var receives = tier.Spec.ReceivesHops;
        var preStop = receives ? AgentLayout.PreStopSeconds : 0;
        var container = Object(
            ("name", ContainerName),
            ("image", spec.Image ?? options.DefaultImage),
            ("imagePullPolicy", spec.ImagePullPolicy),
            ("args", Strings("-n", AgentLayout.AgentName, "-f", AgentLayout.ConfigFile,
                "--reload-interval", Number(AgentLayout.ReloadIntervalSeconds),
                "--shutdown-grace", Number(spec.ShutdownGraceSeconds))),
            ("env", PodEnvironment.Build(spec)),
            ("ports", Ports(receives)),
            ("resources", Resources(spec.Resources)),
            // Replaying a large file channel happens before the admin endpoint serves: the startup
            // probe gives it ten minutes before liveness may restart the container, and asks every
            // 2 s so a quick start is noticed quickly (readiness is probed only after it passes).
            ("startupProbe", Probe("/healthz", periodSeconds: 2, failureThreshold: 300)),
            ("livenessProbe", Probe("/healthz", periodSeconds: 10, failureThreshold: 3)),
            ("readinessProbe", Probe("/readyz", periodSeconds: 5, failureThreshold: 2)),
            ("lifecycle", preStop > 0
                ? Object(("preStop", Object(("exec", Object(("command", Strings("sleep", Number(preStop))))))))
                : null),
            ("volumeMounts", Mounts(tier)),
            ("securityContext", JsonMerge.Over(ContainerSecurity(tier), spec.SecurityContext)));
        return Object(
            ("metadata", Object(("labels", Map(PodLabels(tier))), ("annotations", Map(spec.PodAnnotations)))),
            ("spec", Object(
                ("serviceAccountName", spec.ServiceAccountName),
                // The agent never calls the API server: no token in the pod unless the tier asks.
                ("automountServiceAccountToken", spec.AutomountServiceAccountToken),
                ("priorityClassName", spec.PriorityClassName),
                ("imagePullSecrets", spec.ImagePullSecrets is { Count: > 0 } secrets ? Array(secrets.Select(s => (JsonNode?)Object(("name", s.Name)))) : null),
                ("nodeSelector", Map(spec.NodeSelector)),
                ("tolerations", spec.Tolerations is { Count: > 0 } t ? Array(t.Select(Toleration)) : null),
                ("affinity", spec.Affinity?.DeepClone()),
                ("topologySpreadConstraints", TopologySpread(tier)),
                ("terminationGracePeriodSeconds", spec.ShutdownGraceSeconds + preStop + AgentLayout.TerminationMarginSeconds),
                ("securityContext", JsonMerge.Over(PodSecurity(tier), spec.PodSecurityContext)),
                ("initContainers", OwnershipMounts(tier, stateIsClaim: stateVolume is null) is { Count: > 0 } owned
                    ? new JsonArray(VolumeOwnership.Container(container, owned))
                    : null),
                ("containers", new JsonArray(container)),
                ("volumes", Volumes(tier, stateVolume)))));
    }

    // The operator's labels come last so they win; a tier asking to override one is refused before
    // rendering (PodSpecValidator), so this only guards the selector.
    private static Dictionary<string, string> PodLabels(ITier tier)
    {
        var labels = new Dictionary<string, string>(tier.Spec.Pod.PodLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in TierNames.Labels(tier))
        {
            labels[key] = value;
        }
        return labels;
    }

    // Pods with claims hold buffered events: two on one node lose both buffers with that node, so
    // they spread across nodes by default. ScheduleAnyway, because a single-node cluster must still
    // run every replica. A tier's own constraints replace the default (a DaemonSet needs none).
    private static JsonArray? TopologySpread(ITier tier) =>
        tier.Spec.Pod.TopologySpreadConstraints is { } own
            ? (JsonArray)own.DeepClone()
            : tier.Spec.Workload == TierWorkload.StatefulSet
                ? new JsonArray(Object(
                    ("maxSkew", 1),
                    ("topologyKey", "kubernetes.io/hostname"),
                    ("whenUnsatisfiable", "ScheduleAnyway"),
                    ("labelSelector", Workloads.Selector(tier))))
                : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonArray Ports(bool receives)
    {
        var ports = new JsonArray(Object(("name", "admin"), ("containerPort", AgentLayout.AdminPort), ("protocol", "TCP")));
        if (receives)
        {
            ports.Add(Object(("name", "grpc"), ("containerPort", AgentLayout.HopPort), ("protocol", "TCP")));
        }
        return ports;
    }

    private static JsonObject? Resources(ResourceRequirements? resources) =>
        resources is null ? null : Object(
            ("limits", Map(resources.Limits?.ToDictionary(l => l.Key, l => l.Value.Value))),
            ("requests", Map(resources.Requests?.ToDictionary(r => r.Key, r => r.Value.Value))));

    // A first start on a small node (two cores shared with the JIT of a starting .NET process and the
    // kubelet's own work) answered probes in more than 3 s; 5 s leaves room without hiding a hang.
    private const int ProbeTimeoutSeconds = 5;

    private static JsonObject Probe(string path, int periodSeconds, int failureThreshold) => Object(
        ("httpGet", Object(("path", path), ("port", "admin"))),
        ("periodSeconds", periodSeconds),
        ("timeoutSeconds", ProbeTimeoutSeconds),
        ("failureThreshold", failureThreshold));

    private static JsonObject Toleration(Toleration t) => Object(
        ("key", t.Key), ("operator", t.Operator), ("value", t.Value), ("effect", t.Effect), ("tolerationSeconds", t.TolerationSeconds));

    private static JsonArray Mounts(ITier tier)
    {
        var mounts = new JsonArray(
            Object(("name", ConfigVolume), ("mountPath", AgentLayout.ConfigDirectory), ("readOnly", true)),
            Object(("name", StateVolume), ("mountPath", AgentLayout.StateDirectory)),
            Object(("name", TmpVolume), ("mountPath", "/tmp")));
        if (HopTlsLayout.Applies(tier))
        {
            mounts.Add(Object(("name", HopTlsLayout.VolumeName), ("mountPath", HopTlsLayout.Directory), ("readOnly", true)));
        }
        foreach (var volume in tier.Spec.Pod.Volumes ?? [])
        {
            mounts.Add(Object(("name", UserVolume(volume)), ("mountPath", volume.MountPath), ("readOnly", volume.ReadOnly)));
        }
        return mounts;
    }

    private static JsonArray Volumes(ITier tier, (string Kind, JsonObject Source)? stateVolume)
    {
        var volumes = new JsonArray(
            Object(("name", ConfigVolume), ("configMap", Object(("name", TierNames.ConfigMap(tier.Metadata.Name))))),
            Object(("name", TmpVolume), ("emptyDir", new JsonObject())));
        if (stateVolume is { } state)
        {
            volumes.Add(Object(("name", StateVolume), (state.Kind, state.Source)));
        }
        if (HopTlsLayout.Applies(tier))
        {
            // Readable by the agent's group (fsGroup) and nobody else. The Secret's name never
            // changes when a certificate is renewed, so the template does not either: no restart.
            volumes.Add(Object(("name", HopTlsLayout.VolumeName), ("secret", Object(("secretName", HopTlsLayout.SecretName(tier)), ("defaultMode", 288)))));
        }
        foreach (var volume in tier.Spec.Pod.Volumes ?? [])
        {
            volumes.Add(Object(("name", UserVolume(volume)), VolumeSource(volume)));
        }
        return volumes;
    }

    // The CRD's oneOf admits exactly one source per volume.
    private static (string, JsonNode?) VolumeSource(TierVolume volume) => volume switch
    {
        { HostPath: { } path } => ("hostPath", Object(("path", path), ("type", "DirectoryOrCreate"))),
        { ClaimName: { } claim } => ("persistentVolumeClaim", Object(("claimName", claim), ("readOnly", volume.ReadOnly))),
        { Secret: { } secret } => ("secret", Object(("secretName", secret.SecretName), ("optional", secret.Optional), ("defaultMode", secret.DefaultMode))),
        { ConfigMap: { } map } => ("configMap", Object(("name", map.Name), ("optional", map.Optional), ("defaultMode", map.DefaultMode))),
        { EmptyDir: { } scratch } => ("emptyDir", Object(("medium", scratch.Medium), ("sizeLimit", scratch.SizeLimit?.Value))),
        _ => throw new ArgumentException($"volume {volume.Name} has no source", nameof(volume)),
    };

    // What storage.chownVolumes hands over to the agent's user: the claims it writes to (the state
    // claim of a StatefulSet, claim volumes not mounted read-only). An emptyDir follows fsGroup, and a
    // DaemonSet agent runs as root, so neither needs it; host directories are the node's, not ours to chown.
    private static List<(string Volume, string MountPath)> OwnershipMounts(ITier tier, bool stateIsClaim)
    {
        if (!tier.Spec.ChownVolumes || OnNode(tier))
        {
            return [];
        }
        var mounts = new List<(string, string)>();
        if (stateIsClaim)
        {
            mounts.Add((StateVolume, AgentLayout.StateDirectory));
        }
        mounts.AddRange((tier.Spec.Pod.Volumes ?? []).Where(v => v.ClaimName is not null && !v.ReadOnly).Select(v => (UserVolume(v), v.MountPath)));
        return mounts;
    }

    // Prefixed so a tier's volume names can never collide with ours.
    private static string UserVolume(TierVolume volume) => "user-" + volume.Name;

    // A DaemonSet agent writes its state to a node directory the kubelet creates root-owned, and
    // reads other applications' log files: it runs as root, with only the capability to read.
    private static bool OnNode(ITier tier) => tier.Spec.Workload == TierWorkload.DaemonSet;

    private static JsonObject PodSecurity(ITier tier) => OnNode(tier)
        ? Object(("runAsUser", 0), ("runAsNonRoot", false), ("seccompProfile", Object(("type", "RuntimeDefault"))))
        : Object(("runAsNonRoot", true), ("fsGroup", AgentLayout.FsGroup), ("seccompProfile", Object(("type", "RuntimeDefault"))));

    private static JsonObject ContainerSecurity(ITier tier) => Object(
        ("allowPrivilegeEscalation", false),
        ("readOnlyRootFilesystem", true),
        ("capabilities", Object(("drop", Strings("ALL")), ("add", OnNode(tier) ? Strings("DAC_READ_SEARCH") : null))));
}
