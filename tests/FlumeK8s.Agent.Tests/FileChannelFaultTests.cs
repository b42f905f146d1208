using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The real agent's file channel against a hostile disk: a checkpoint directory made immutable
/// (EPERM) while it runs, and a small tmpfs filled to the last byte by another writer and freed
/// again. Needs root (chattr, mount), as the CI machine has.
/// </summary>
public sealed class FileChannelFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-fault-").FullName;
    private readonly int _httpPort = Loopback.FreePort();
    private readonly int _collectorPort = Loopback.FreePort();

    public void Dispose()
    {
        Run("chattr", "-R", "-i", _dir);
        Run("umount", "-l", Path.Combine(_dir, "disk"));
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task UnwritableCheckpointDirectory_IsLoggedCountedAndShutdownStaysClean()
    {
        var checkpoints = Path.Combine(_dir, "checkpoint");
        var output = Path.Combine(_dir, "out");
        var config = Path.Combine(_dir, "agent.properties");
        await File.WriteAllTextAsync(config, Config(checkpoints, Path.Combine(_dir, "data"), $"""
            a1.sinks.k1.type = file_roll
            a1.sinks.k1.sink.directory = {output}
            a1.sinks.k1.sink.rollInterval = 0
            """));
        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            Run("chattr", "+i", checkpoints);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, i * 100, 100));
            }
            await Poll.UntilAsync(async () => await agent.CounterAsync("CHANNEL.c1", "CheckpointWriteErrorCount") > 0, "a failed checkpoint to be counted");
            await agent.WaitForOutputAsync(new Regex($"checkpoint.*{Regex.Escape(checkpoints)}.*(not permitted|denied)", RegexOptions.IgnoreCase), "the failed checkpoint logged with its directory and cause");
            agent.Signal(AgentProcess.SigTerm);
            Assert.Equal(0, await agent.WaitForExitAsync());
        }
        Run("chattr", "-i", checkpoints);

        // Started again on the same directories, it replays from the last good checkpoint: nothing
        // was lost and nothing delivered is delivered again.
        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, 500, 100));
            await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(output).Count == 600), "all 600 events delivered");
            Assert.Equal(0, await agent.CounterAsync("CHANNEL.c1", "LostEventCount"));
        }
    }

    [Fact]
    public async Task FullDisk_PoisonsTheChannelWhichHealsOnceSpaceReturns()
    {
        var disk = Path.Combine(_dir, "disk");
        Directory.CreateDirectory(disk);
        Assert.Equal(0, Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk));
        var output = Path.Combine(_dir, "out");
        var config = Path.Combine(_dir, "agent.properties");
        await File.WriteAllTextAsync(config, Config(Path.Combine(disk, "checkpoint"), Path.Combine(disk, "data"), $"""
            a1.sinks.k1.type = avro
            a1.sinks.k1.hostname = 127.0.0.1
            a1.sinks.k1.port = {_collectorPort}
            a1.sinks.k1.errorBackoffSleep = 300
            a1.sinks.k1.maxBackoffSleep = 300
            """));
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, i * 100, 100));
        }

        // Another writer takes the last byte; then the collector comes up, so the sink's next take
        // commit is the write that fails.
        var filler = Path.Combine(disk, "filler");
        Fill(filler);
        await using (var collector = await AvroCollector.StartAsync(_dir, _collectorPort, output))
        {
            await Poll.UntilAsync(async () => await agent.CounterAsync("CHANNEL.c1", "Unhealthy") == 1, "the channel to be poisoned by the full disk");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await Loopback.PostEventsAsync(_httpPort, 10_000, 10));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await agent.GetAsync("/readyz")).StatusCode);

            File.Delete(filler);
            await agent.WaitForOutputAsync(new Regex("Channel c1 reopened and serving again"), "the channel to heal", TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/readyz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, 500, 100));
            await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(output).Count == 600), "every acknowledged event at the collector");
        }
        Assert.Equal(0, await agent.CounterAsync("CHANNEL.c1", "LostEventCount"));
    }

    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(chunk);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // No space left: the disk is full.
        }
    }

    private string Config(string checkpointDir, string dataDir, string sink) =>
        HttpAgentConfig.Of(_httpPort, HttpAgentConfig.FileChannel(checkpointDir, dataDir) + "\na1.channels.c1.checkpointInterval = 1000", sink);

    private static int Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
