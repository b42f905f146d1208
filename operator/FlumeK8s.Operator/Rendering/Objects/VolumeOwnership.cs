using System.Globalization;
using System.Text.Json.Nodes;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>
/// The init container of <c>storage.chownVolumes</c>: some volumes ignore the pod's fsGroup (claims
/// a hostPath provisioner creates root:root 0750, NFS exports), so the non-root agent cannot write
/// them ("Access to the path … is denied"). Before the agent starts, this container, the agent's own
/// image running as root with only the capabilities chown needs, gives every file of those mounts
/// that is not yet the agent's to the agent's user and group. Only what is not already owned is
/// touched, so a restart costs one directory walk; <c>-xdev</c> keeps the walk on each mount's own
/// file system (a volume mounted inside another is listed on its own, or left alone when read-only).
/// </summary>
internal static class VolumeOwnership
{
    public const string ContainerName = "chown-volumes";

    /// <param name="mounts">The agent container's mounts to hand over, as (volume, mountPath).</param>
    public static JsonObject Container(JsonObject agent, IReadOnlyList<(string Volume, string MountPath)> mounts)
    {
        var owner = $"{Id(AgentLayout.UserId)}:{Id(AgentLayout.FsGroup)}";
        string[] command =
        [
            "find", .. mounts.Select(m => m.MountPath), "-xdev",
            "(", "!", "-user", Id(AgentLayout.UserId), "-o", "!", "-group", Id(AgentLayout.FsGroup), ")",
            "-exec", "chown", "-h", owner, "{}", "+",
        ];
        return Object(
            ("name", ContainerName),
            ("image", agent["image"]?.DeepClone()),
            ("imagePullPolicy", agent["imagePullPolicy"]?.DeepClone()),
            ("command", Strings(command)),
            // The agent's own requests: a pod's effective request is the larger of its init containers'
            // and the sum of its containers', so this adds nothing, and a namespace quota that demands
            // requests on every container is satisfied.
            ("resources", agent["resources"]?.DeepClone()),
            ("volumeMounts", Array(mounts.Select(m => (JsonNode?)Object(("name", m.Volume), ("mountPath", m.MountPath))))),
            ("securityContext", Object(
                // Root for chown, overriding the pod's runAsNonRoot for this container alone; CHOWN to
                // change owners, DAC_OVERRIDE to walk directories root made unreadable, FOWNER for files
                // whose owner is another user; nothing else, and no way to gain more.
                ("runAsUser", 0),
                ("runAsGroup", 0),
                ("runAsNonRoot", false),
                ("allowPrivilegeEscalation", false),
                ("readOnlyRootFilesystem", true),
                ("capabilities", Object(("drop", Strings("ALL")), ("add", Strings("CHOWN", "FOWNER", "DAC_OVERRIDE")))))));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
