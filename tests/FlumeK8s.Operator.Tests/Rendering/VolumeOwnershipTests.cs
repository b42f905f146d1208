using System.Diagnostics;
using System.Text.Json.Nodes;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>
/// storage.chownVolumes: an opt-in root init container that hands the pod's writable claims to the
/// agent's user, for volumes that ignore fsGroup. Without it pods stay within the restricted profile.
/// </summary>
public sealed class VolumeOwnershipTests
{
    private const string WithVolumes = Collector + """

          volumes:
          - {name: archive, mountPath: /archive, claimName: archive}
          - {name: shared, mountPath: /shared, claimName: shared, readOnly: true}
          - {name: logs, mountPath: /var/log/apps, hostPath: /var/log/apps}
        """;

    [Fact]
    public void ByDefault_NoInitContainer_AndTheRestrictedProfile()
    {
        var set = Object(Render(WithVolumes), "StatefulSet");

        Assert.Null(PodSpec(set)["initContainers"]);
        var pod = PodSpec(set)["securityContext"]!;
        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.Equal(10001, (long)pod["fsGroup"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
        AssertLockedDown(Container(set));
        Assert.Null(Container(set)["securityContext"]!["capabilities"]!["add"]);
    }

    [Fact]
    public void Enabled_InitContainerChownsTheClaimAndTheWritableClaimVolumesAsRootWithThreeCapabilities()
    {
        var set = Object(Render(WithVolumes.Replace("storage: {size: 20Gi, storageClassName: fast}", "storage: {size: 20Gi, storageClassName: fast, chownVolumes: true}")), "StatefulSet");

        var init = Assert.Single(PodSpec(set)["initContainers"]!.AsArray())!.AsObject();
        Assert.Equal("chown-volumes", (string?)init["name"]);
        Assert.Equal((string?)Container(set)["image"], (string?)init["image"]);
        Assert.Equal(["state:/var/lib/flumek8s", "user-archive:/archive"],
            init["volumeMounts"]!.AsArray().Select(m => $"{m!["name"]}:{m["mountPath"]}"));
        var command = init["command"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(["find", "/var/lib/flumek8s", "/archive", "-xdev"], command.Take(4));
        Assert.Equal(["-exec", "chown", "-h", "10001:10001", "{}", "+"], command.TakeLast(6));
        var security = init["securityContext"]!;
        Assert.Equal(0, (int)security["runAsUser"]!);
        Assert.False((bool)security["runAsNonRoot"]!);
        Assert.False((bool)security["allowPrivilegeEscalation"]!);
        Assert.True((bool)security["readOnlyRootFilesystem"]!);
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["CHOWN", "FOWNER", "DAC_OVERRIDE"], security["capabilities"]!["add"]!.AsArray().Select(c => (string)c!));

        // The agent itself is unchanged: non-root, nothing added.
        Assert.True((bool)PodSpec(set)["securityContext"]!["runAsNonRoot"]!);
        AssertLockedDown(Container(set));
        Assert.Null(Container(set)["securityContext"]!["capabilities"]!["add"]);
    }

    [Fact]
    public void AgentTier_DeploymentChownsItsClaimVolumesOnly_DaemonSetRunsAsRootAndNeedsNone()
    {
        var agent = Agent.Replace("spec:\n", "spec:\n  storage: {chownVolumes: true}\n  volumes:\n  - {name: out, mountPath: /out, claimName: out}\n");

        Assert.Null(PodSpec(Object(Render(agent), "DaemonSet"))["initContainers"]);
        var deployment = Object(Render(agent.Replace("spec:\n", "spec:\n  mode: Deployment\n")), "Deployment");
        var init = Assert.Single(PodSpec(deployment)["initContainers"]!.AsArray())!;
        Assert.Equal(["user-out:/out"], init["volumeMounts"]!.AsArray().Select(m => $"{m!["name"]}:{m["mountPath"]}"));
    }

    [Fact]
    public void Reader_DefaultsToOffFromTheSchema_AndRefusesANonBoolean()
    {
        Assert.False(Tier(Collector).Spec.ChownVolumes);
        Assert.True(Tier(Collector.Replace("storageClassName: fast}", "storageClassName: fast, chownVolumes: true}")).Spec.ChownVolumes);

        var read = FlumeK8s.Operator.Tiers.TierReader.Read(Collector.Replace("storageClassName: fast}", "storageClassName: fast, chownVolumes: \"yes\"}"));
        Assert.Contains(read.Problems, p => p.Contains("spec.storage.chownVolumes", StringComparison.Ordinal));
    }

    [Fact]
    public void Command_RunAsRendered_GivesWhatRootOwnsToTheAgentsUserAndLeavesOtherMountsAlone()
    {
        // Needs root, as the test suite runs: the rendered argv, run on two folders standing in for the mounts.
        var root = Directory.CreateTempSubdirectory("flumek8s-chown-").FullName;
        try
        {
            var state = Directory.CreateDirectory(Path.Combine(root, "state", "c1", "data")).Parent!.Parent!.FullName;
            File.WriteAllText(Path.Combine(state, "c1", "data", "log-1"), "");
            var archive = Directory.CreateDirectory(Path.Combine(root, "archive")).FullName;
            var untouched = Directory.CreateDirectory(Path.Combine(root, "untouched")).FullName;
            var set = Object(Render(WithVolumes.Replace("storage: {size: 20Gi, storageClassName: fast}", "storage: {chownVolumes: true}")), "StatefulSet");
            var command = PodSpec(set)["initContainers"]![0]!["command"]!.AsArray()
                .Select(a => (string)a! switch { "/var/lib/flumek8s" => state, "/archive" => archive, var other => other }).ToList();

            Assert.Equal(0, Run(command[0], [.. command.Skip(1)]).ExitCode);
            Assert.Equal("10001:10001", Owner(state));
            Assert.Equal("10001:10001", Owner(Path.Combine(state, "c1", "data", "log-1")));
            Assert.Equal("10001:10001", Owner(archive));
            Assert.Equal("0:0", Owner(untouched));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void AssertLockedDown(JsonObject container)
    {
        var security = container["securityContext"]!;
        Assert.False((bool)security["allowPrivilegeEscalation"]!);
        Assert.True((bool)security["readOnlyRootFilesystem"]!);
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.Null(security["runAsUser"]);
    }

    private static string Owner(string path) => Run("stat", "-c", "%u:%g", path).Output.Trim();

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
