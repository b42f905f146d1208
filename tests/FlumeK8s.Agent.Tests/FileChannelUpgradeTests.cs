using System.Globalization;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// An agent upgraded with a backlog on disk: the real agent started on a file channel directory
/// written by log format version 1 (the golden files under the runtime tests' TestData/log-v1, whose
/// README says what they hold) delivers every event that survived, in order, with its headers.
/// </summary>
public sealed class FileChannelUpgradeTests : IDisposable
{
    private static readonly string Golden = Path.Combine(AgentProcess.RepositoryRoot,
        "tests", "FlumeK8s.Runtime.Tests", "Channels", "File", "TestData", "log-v1");

    private readonly WorkDirectory _work = new("flumek8s-upgrade-");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Start_OnAVersion1Backlog_DeliversEverySurvivorInOrderAndNothingElse()
    {
        foreach (var file in new[] { "checkpoint", "data" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Golden, d))))
        {
            var target = _work.PathOf(Path.GetRelativePath(Golden, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var config = _work.WriteConfig("agent.properties", $"""
            a1.channels = c1
            a1.sinks = k1
            a1.channels.c1.type = file
            a1.channels.c1.checkpointDir = {_work.PathOf("checkpoint")}
            a1.channels.c1.dataDirs = {_work.PathOf("data")}
            a1.channels.c1.minimumRequiredSpace = 0
            a1.sinks.k1.type = file_roll
            a1.sinks.k1.channel = c1
            a1.sinks.k1.sink.directory = {_work.PathOf("out")}
            a1.sinks.k1.sink.serializer = header_and_text
            a1.sinks.k1.sink.batchSize = 10
            a1.sinks.k1.sink.rollInterval = 0
            """);

        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount") >= 35, "the backlog to drain");
            var channel = (await agent.MetricsAsync()).GetProperty("CHANNEL.c1");
            Assert.Equal("0", channel.GetProperty("ChannelSize").GetString());
            Assert.Equal("0", channel.GetProperty("LostEventCount").GetString());
            Assert.Equal("0", channel.GetProperty("CorruptBlockCount").GetString());
            agent.Signal(AgentProcess.SigTerm);
            Assert.Equal(0, await agent.WaitForExitAsync());
        }

        // Events 15–49: 0–14 were taken and committed, 15–19 taken but not committed (back), 50–59
        // a torn put that never returned, 900–904 a put never committed.
        var expected = Enumerable.Range(15, 35).Select(Line);
        Assert.Equal(expected, Directory.EnumerateFiles(_work.PathOf("out")).SelectMany(File.ReadLines).Where(l => l.Length > 0));
    }

    private static string Line(int i)
    {
        var headers = i % 5 == 0 ? $"{{seq={i}, zone=eu-west-é}}" : $"{{seq={i}}}";
        return string.Create(CultureInfo.InvariantCulture, $"{headers} golden-{i:D3}{(i % 7 == 0 ? " größer" : "")}");
    }
}
