using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The durability claim, proven by killing the real agent: seq → file channel → file_roll, SIGKILL
/// while it produces and again and again while it drains, then count what reached the output. Run
/// with no overlap (one batch in flight on each side, take commits that wait for their fsync) and
/// with every overlap on (two sink batches, deferred take fsync, four source batches): a kill then
/// usually finds two batches taken and several committing.
/// </summary>
public sealed class FileChannelCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int SinkBatch = 100;
    private const int SourceBatch = 100;
    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-crash-").FullName;
    private string _overlap = "";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1, false, 1)]
    [InlineData(2, true, 4)]
    public async Task Sigkill_WhileProducingAndDraining_LosesNoCommittedEvent(int sinkBatchesInFlight, bool deferTakeFsync, int sourceBatchesInFlight)
    {
        _overlap = FileRollFlow.Overlap(sinkBatchesInFlight, deferTakeFsync);
        var random = new Random();
        var config = Path.Combine(_dir, "agent.properties");
        var outDir = Path.Combine(_dir, "out");

        // Phase 1: produce and drain at once; SIGKILL at a random moment. Everything the source had
        // committed (at least what the last metrics poll saw) must come out in the end.
        await File.WriteAllTextAsync(config, Config(outDir, withSource: true, sourceBatchesInFlight));
        long committed;
        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(random.Next(800, 2500));
            committed = 0;
            while (DateTime.UtcNow < deadline || committed == 0)
            {
                committed = Math.Max(committed, await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount"));
            }
            agent.Signal(AgentProcess.SigKill);
            await agent.WaitForExitAsync();
        }
        Assert.True(committed > 0);

        // Phase 2: the source is gone (it would start again from 0); kill the draining agent repeatedly.
        await File.WriteAllTextAsync(config, Config(outDir, withSource: false, sourceBatchesInFlight));
        var kills = 1;
        for (var i = 0; i < 3; i++)
        {
            await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
            await Task.Delay(random.Next(100, 600));
            agent.Signal(AgentProcess.SigKill);
            await agent.WaitForExitAsync();
            kills++;
        }

        // Phase 3: drain to the end and stop cleanly.
        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (await agent.CounterAsync("CHANNEL.c1", "ChannelSize") != 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the channel did not drain");
                await Task.Delay(100);
            }
            Assert.Equal("0", (await agent.MetricsAsync()).GetProperty("CHANNEL.c1").GetProperty("LostEventCount").GetString());
            agent.Signal(AgentProcess.SigTerm);
            Assert.Equal(0, await agent.WaitForExitAsync());
        }

        var delivered = Directory.EnumerateFiles(outDir).SelectMany(File.ReadLines).Where(l => l.Length > 0).Select(long.Parse).ToList();
        var distinct = delivered.ToHashSet();
        var duplicates = delivered.Count - distinct.Count;
        var highest = distinct.Max();
        output.WriteLine($"committed before the first kill: at least {committed}; delivered {delivered.Count} events, " +
                         $"{distinct.Count} distinct (0..{highest}), {duplicates} duplicates after {kills} SIGKILLs");

        Assert.True(distinct.Count >= committed, $"{committed - distinct.Count} committed events were lost");
        SeqNumbers.AssertNoGapBelowBatchesInFlight(distinct, SourceBatch, sourceBatchesInFlight);
        // Only the batches the sink had taken and not committed when it was killed can come out twice.
        Assert.InRange(duplicates, 0, kills * sinkBatchesInFlight * SinkBatch);
    }

    private string Config(string outDir, bool withSource, int sourceBatchesInFlight)
    {
        var source = withSource
            ? $"""
              a1.sources = r1
              a1.sources.r1.type = seq
              a1.sources.r1.batchSize = {SourceBatch}
              a1.sources.r1.batches-in-flight = {sourceBatchesInFlight}
              a1.sources.r1.totalEvents = 2000000
              a1.sources.r1.channels = c1

              """
            : "";
        return source + FileRollFlow.Config(Path.Combine(_dir, "checkpoint"), Path.Combine(_dir, "data"), outDir, capacity: 3000000, SinkBatch) + _overlap;
    }
}
