using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The hdfs sink's durability claim with the real agent: http source → file channel → hdfs sink
/// (local path, time-bucketed), SIGKILL while clients post, restart, and every event the source
/// acknowledged with 200 must be in the output files (finished or recovered from in-use). Also
/// with <c>hdfs.fsyncPerBatch = false</c>: a killed process loses nothing the kernel already has.
/// With two sink batches in flight (the default) and deferred take fsync, and with one batch in
/// flight whose take commit waits for its fsync.
/// </summary>
public sealed class HdfsSinkCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int SinkBatch = 100;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-hdfs-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(true, 2, true)]
    [InlineData(false, 2, true)]
    [InlineData(true, 1, false)]
    public async Task Sigkill_WhilePostingIntoHdfsSink_EveryAcknowledgedEventInTheFiles(bool fsyncPerBatch, int batchesInFlight, bool deferTakeFsync)
    {
        var port = Loopback.FreePort();
        var config = Path.Combine(_dir, "agent.properties");
        var outDir = Path.Combine(_dir, "out");
        await File.WriteAllTextAsync(config, Config(port, outDir, fsyncPerBatch) + FileRollFlow.Overlap(batchesInFlight, deferTakeFsync));
        var acknowledged = new List<long>();
        var next = 0L;

        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(new Random().Next(1500, 3000));
            while (DateTime.UtcNow < deadline)
            {
                var ids = Enumerable.Range(0, 50).Select(_ => next++).ToList();
                if (await PostAsync(port, ids))
                {
                    acknowledged.AddRange(ids);
                }
            }
            // Kill while a request is in flight: its events may or may not have been committed.
            var inFlight = PostAsync(port, [.. Enumerable.Range(0, 50).Select(_ => next++)]);
            agent.Signal(AgentProcess.SigKill);
            await agent.WaitForExitAsync();
            await inFlight.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.NotEmpty(acknowledged);
        var leftInUse = Directory.EnumerateFiles(outDir, "*.tmp", SearchOption.AllDirectories).Count();

        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (await agent.CounterAsync("CHANNEL.c1", "ChannelSize") != 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the channel did not drain");
                await Task.Delay(100);
            }
            agent.Signal(AgentProcess.SigTerm);
            Assert.Equal(0, await agent.WaitForExitAsync());
        }

        var files = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        var delivered = files.SelectMany(File.ReadLines).Where(l => l.Length > 0 && l.All(char.IsAsciiDigit)).Select(long.Parse).ToList();
        var distinct = delivered.ToHashSet();
        var duplicates = delivered.Count - distinct.Count;
        var missing = acknowledged.Where(id => !distinct.Contains(id)).ToList();
        output.WriteLine($"acknowledged {acknowledged.Count} events; {leftInUse} in-use files left by the SIGKILL; delivered {delivered.Count} lines in {files.Count} files, {distinct.Count} distinct, {duplicates} duplicates");

        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events are missing, e.g. {string.Join(", ", missing.Take(10))}");
        Assert.InRange(duplicates, 0, (batchesInFlight + 1) * SinkBatch);
    }

    private static async Task<bool> PostAsync(int port, IReadOnlyList<long> ids)
    {
        var json = "[" + string.Join(",", ids.Select(id => $$"""{"headers":{"timestamp":"{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}"},"body":"{{id}}"}""")) + "]";
        try
        {
            using var response = await Http.PostAsync($"http://127.0.0.1:{port}/", new StringContent(json, Encoding.UTF8, "application/json"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private string Config(int port, string outDir, bool fsyncPerBatch) => $"""
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = http
        a1.sources.r1.bind = 127.0.0.1
        a1.sources.r1.port = {port}
        a1.sources.r1.channels = c1
        a1.channels.c1.type = file
        a1.channels.c1.checkpointDir = {Path.Combine(_dir, "checkpoint")}
        a1.channels.c1.dataDirs = {Path.Combine(_dir, "data")}
        a1.channels.c1.capacity = 1000000
        a1.channels.c1.transactionCapacity = 1000
        a1.channels.c1.minimumRequiredSpace = 0
        a1.sinks.k1.type = hdfs
        a1.sinks.k1.channel = c1
        a1.sinks.k1.hdfs.path = {outDir}/%Y-%m-%d/%H
        a1.sinks.k1.hdfs.timeZone = UTC
        a1.sinks.k1.hdfs.fileType = DataStream
        a1.sinks.k1.hdfs.batchSize = {SinkBatch}
        a1.sinks.k1.hdfs.rollCount = 5000
        a1.sinks.k1.hdfs.rollSize = 0
        a1.sinks.k1.hdfs.rollInterval = 0
        a1.sinks.k1.hdfs.fsyncPerBatch = {(fsyncPerBatch ? "true" : "false")}
        """;
}
