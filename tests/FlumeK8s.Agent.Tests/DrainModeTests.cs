using System.Net;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// <c>flumek8s-agent --drain</c> on a file channel a stopped agent left behind (its next tier was
/// down): with the next tier up it delivers everything and exits 0; with it down it gives up after
/// the stall time, or stops on SIGTERM, each with its own exit code, keeping every event for the
/// next run.
/// </summary>
public sealed class DrainModeTests : IDisposable
{
    private const int Events = 300;
    private readonly WorkDirectory _work = new("flumek8s-drain-mode-");
    private readonly int _httpPort = Loopback.FreePort();
    private readonly int _nextTierPort = Loopback.FreePort();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task NextTierUp_DeliversEverythingAndExitsZero()
    {
        await LeaveEventsOnDiskAsync();

        var output = await DrainIntoTheNextTierAsync();

        Assert.True(output.Any(l => l.Contains($"Drained {Events} events")), string.Join('\n', output));
    }

    [Fact]
    public async Task NextTierDown_GivesUpAfterTheStallNamingTheChannel_AndKeepsEveryEvent()
    {
        await LeaveEventsOnDiskAsync();

        await using (var stalled = StartDrain("--drain-stall", "2"))
        {
            Assert.Equal(AgentProgram.ExitDrainStalled, await stalled.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(stalled.Stdout, l => l.Contains($"Drain stalled: no event left the channels for 2 s and {Events} remain: disk ({Events})"));
        }

        await DrainIntoTheNextTierAsync();
    }

    [Fact]
    public async Task Sigterm_BeforeEmpty_StopsCleanlyExitsFourAndKeepsEveryEvent()
    {
        await LeaveEventsOnDiskAsync();
        await using (var interrupted = StartDrain("--shutdown-grace", "1"))
        {
            await interrupted.WaitForOutputAsync(new Regex("Draining, sources not started"), "the drain to run");
            interrupted.Signal(AgentProcess.SigTerm);
            Assert.Equal(AgentProgram.ExitDrainInterrupted, await interrupted.WaitForExitAsync());
        }

        await DrainIntoTheNextTierAsync();
    }

    [Fact]
    public async Task DrainStallWithoutDrain_UsageError()
    {
        await using var agent = AgentProcess.Start("-n", "a1", "-f", Config, "--drain-stall", "5");
        Assert.Equal(AgentProgram.ExitUsage, await agent.WaitForExitAsync());
        Assert.Contains(agent.Stderr, l => l.Contains("--drain-stall applies only with --drain"));
    }

    private string Output => _work.PathOf("out");

    private string Config => _work.PathOf("tier.properties");

    private AgentProcess StartDrain(params string[] more) =>
        AgentProcess.Start(["--drain", "-n", "a1", "-f", Config, "--http-port", "0", "--http-bind", "127.0.0.1", .. more]);

    // With the next tier up, a drain run delivers every event the channel kept and exits 0; returns its output.
    private async Task<IReadOnlyList<string>> DrainIntoTheNextTierAsync()
    {
        await using var nextTier = await AvroCollector.StartAsync(_work.Root, _nextTierPort, Output);
        await using var drain = StartDrain();
        Assert.Equal(0, await drain.WaitForExitAsync());
        Assert.Equal(Events, Loopback.Delivered(Output).Count);
        return drain.Stdout;
    }

    // A first run accepts the events, cannot deliver them (the next tier is down) and is stopped:
    // they stay in its file channel.
    private async Task LeaveEventsOnDiskAsync()
    {
        _work.WriteConfig("tier.properties", FileChannelTier.Config("a1", "http", _httpPort, _work, _nextTierPort));
        await using var first = await AgentProcess.StartReadyAsync("-n", "a1", "-f", Config, "--shutdown-grace", "1");
        for (var from = 0; from < Events; from += 100)
        {
            Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, from, 100));
        }
        first.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await first.WaitForExitAsync());
    }
}
