using System.Text.RegularExpressions;
using FlumeK8s.Operator.Tests.Support;


namespace FlumeK8s.Operator.Tests.Local;

/// <summary><c>flumek8s local up</c> as a real process on the Meituan example: real agents, real kills.</summary>
public sealed class LocalUpCommandTests : IDisposable
{
    private static readonly string Example = Path.Combine(Rendering.Fixtures.RepositoryRoot, "examples", "meituan", "tiers.yaml");
    private readonly string _directory = Directory.CreateTempSubdirectory("flumek8s-local-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Work => Path.Combine(_directory, "work");

    [Fact]
    public async Task LocalUp_MeituanWithEventsAndCollectorsKilledEverySecond_Exit0EveryEventDelivered()
    {
        using var run = new LocalUpProcess(Work, "-f", Example, "--events", "20000", "--rate", "4000", "--kill-every", "1", "--deadline", "50");

        var exit = await run.ExitAsync(TimeSpan.FromSeconds(58));

        Assert.True(exit == 0, run.Stdout + run.Stderr);
        Assert.Matches(@"generated\s+20,000\n", run.Stdout);
        Assert.Matches(@"delivered\s+20,000 distinct events", run.Stdout);
        Assert.Matches(@"lost\s+0\n", run.Stdout);
        Assert.Matches(@"duplicates\s+[\d,]+ ", run.Stdout);
        var kills = int.Parse(Regex.Match(run.Stdout, @"kills\s+(\d+) collector processes killed").Groups[1].Value);
        Assert.True(kills >= 1, run.Stdout);
        Assert.Contains("result: every generated event was delivered", run.Stdout);
        Assert.Empty(run.Agents());
    }

    [Fact]
    public async Task LocalUp_BrokenTiersFile_Exit2NamingTheProblemAndNothingStarted()
    {
        var file = Path.Combine(_directory, "tiers.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(Example)).Replace("type: hdfs", "type: hdfz"));
        using var run = new LocalUpProcess(Work, "-f", file, "--events", "10");

        var exit = await run.ExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        Assert.Matches(@"error: StoreTier logging/stores: line \d+: agent\.sinks\.archive\.type: unknown sink type 'hdfz'", run.Stderr);
        Assert.False(Directory.Exists(Work));
    }

    [Theory]
    [InlineData(LocalUpProcess.SigTerm)]
    [InlineData(LocalUpProcess.SigInt)]
    public async Task LocalUp_SignalledWhileRunning_EveryAgentStoppedAndExit0(int signal)
    {
        using var run = new LocalUpProcess(Work, "-f", Example, "--rate", "500");
        await Eventually.TrueAsync(() => run.Stdout.Contains("] running", StringComparison.Ordinal), "local up running", TimeSpan.FromSeconds(40));
        Assert.Equal(5, run.Agents().Count);

        run.Signal(signal);
        var exit = await run.ExitAsync(TimeSpan.FromSeconds(45));

        Assert.True(exit == 0, run.Stdout + run.Stderr);
        Assert.Empty(run.Agents());
        Assert.Contains("stopping app-agents", run.Stdout);
        Assert.True(run.Stdout.IndexOf("stopping app-agents", StringComparison.Ordinal) < run.Stdout.IndexOf("stopping collectors", StringComparison.Ordinal));
        Assert.True(run.Stdout.IndexOf("stopping collectors", StringComparison.Ordinal) < run.Stdout.IndexOf("stopping stores", StringComparison.Ordinal));
        Assert.Contains("stopped;", run.Stdout);
        Assert.DoesNotMatch("SIGKILL", File.ReadAllText(Path.Combine(Work, "logging", "pods", "collectors-0", "agent.log")));
    }

    [Theory]
    [InlineData("--events", "0")]
    [InlineData("--bogus", "x")]
    public async Task LocalUp_UsageError_Exit64(string option, string value)
    {
        using var run = new LocalUpProcess(Work, "-f", Example, option, value);

        Assert.Equal(64, await run.ExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("usage:", run.Stderr);
    }
}
