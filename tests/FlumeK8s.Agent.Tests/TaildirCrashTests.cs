using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The taildir source's durability with batches in flight, proven on the real agent: taildir → file
/// channel → file_roll, SIGKILL while the source has batches committing, restart, and count what came
/// out: every line written is delivered; what repeats is bounded by what the source reads between two
/// saves of its position file plus the sink's batch at each kill.
/// </summary>
public sealed class TaildirCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int SourceBatch = 100;
    private const int MaxBatchCount = 20;
    private const int SinkBatch = 100;
    private const int LinesPerRound = 150_000;
    private readonly WorkDirectory _dir = new("flumek8s-taildir-crash-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Sigkill_WhileSourceBatchesInFlight_EveryLineDeliveredDuplicatesBounded(int batchesInFlight)
    {
        var random = new Random();
        Directory.CreateDirectory(_dir.PathOf("logs"));
        var log = _dir.PathOf("logs/app.log");
        var config = _dir.WriteConfig("agent.properties", Config(batchesInFlight));
        var written = 0;
        var kills = 0;
        var killedMidFile = 0;

        // Each round appends more lines and kills the agent while the source is still reading them:
        // its position file lags its commits, and with batches in flight later batches may have
        // committed past one that had not.
        for (var round = 0; round < 3; round++)
        {
            written = Append(log, written, LinesPerRound);
            await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount") == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the source accepted nothing");
                await Task.Delay(20);
            }
            // The first round kills at once, so at least one kill lands while the source is mid-file.
            await Task.Delay(round == 0 ? 0 : random.Next(100, 700));
            var accepted = await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount");
            agent.Signal(AgentProcess.SigKill);
            await agent.WaitForExitAsync();
            kills++;
            killedMidFile += accepted < LinesPerRound ? 1 : 0;
        }

        // The last run reads to the end and stops cleanly.
        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
            while (ReadDelivered().Distinct().Count() < written)
            {
                Assert.True(DateTime.UtcNow < deadline, "not every line was delivered");
                await Task.Delay(500); // each look reads every output file: not too often
            }
            agent.Signal(AgentProcess.SigTerm);
            Assert.Equal(0, await agent.WaitForExitAsync());
        }

        var delivered = ReadDelivered();
        var distinct = delivered.ToHashSet();
        var duplicates = delivered.Count - distinct.Count;
        output.WriteLine($"batches-in-flight {batchesInFlight}: {written} lines written, {delivered.Count} delivered, {distinct.Count} distinct, " +
                         $"{duplicates} duplicates after {kills} SIGKILLs ({killedMidFile} while the source was still reading)");

        Assert.True(killedMidFile > 0, "no SIGKILL landed while the source was still reading its file");
        Assert.Equal(written, distinct.Count);
        Assert.Equal(0, distinct.Min());
        Assert.Equal(written - 1, distinct.Max());
        // Per kill: the lines of the poll in progress (its position not yet saved, the batches in
        // flight among them) and the sink's batches being written (two in flight, its default).
        Assert.InRange(duplicates, 0, kills * (MaxBatchCount * SourceBatch + 2 * SinkBatch));
    }

    private static int Append(string log, int from, int count)
    {
        var text = new StringBuilder();
        for (var i = from; i < from + count; i++)
        {
            text.Append(i.ToString("D9", CultureInfo.InvariantCulture)).Append('\n');
        }
        File.AppendAllText(log, text.ToString());
        return from + count;
    }

    private List<long> ReadDelivered() =>
        Directory.Exists(_dir.PathOf("out")) ? ReadCompleteLines(_dir.PathOf("out")) : [];

    // The sink may be writing the last file while the test looks: only whole lines count.
    private static List<long> ReadCompleteLines(string folder) =>
        [.. Directory.EnumerateFiles(folder).SelectMany(File.ReadLines).Where(l => l.Length == 9).Select(long.Parse)];

    private string Config(int batchesInFlight) => $"""
        a1.sources = r1
        a1.sources.r1.type = taildir
        a1.sources.r1.filegroups = g1
        a1.sources.r1.filegroups.g1 = {_dir.PathOf("logs")}/app\.log
        a1.sources.r1.positionFile = {_dir.PathOf("state/taildir_position.json")}
        a1.sources.r1.batchSize = {SourceBatch}
        a1.sources.r1.maxBatchCount = {MaxBatchCount}
        a1.sources.r1.writePosInterval = 1
        a1.sources.r1.batches-in-flight = {batchesInFlight}
        a1.sources.r1.channels = c1

        """ + FileRollFlow.Config(_dir.PathOf("checkpoint"), _dir.PathOf("data"), _dir.PathOf("out"), capacity: 1000000, SinkBatch);
}
