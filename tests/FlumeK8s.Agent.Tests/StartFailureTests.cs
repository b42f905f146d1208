using System.Diagnostics;
using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The real agent with a component that cannot start because its directory may not be written (made
/// immutable with chattr +i, which stops root too, as a root-owned volume stops the agent's user):
/// the agent keeps running, /readyz answers 503 naming the component and the cause, and once the
/// directory is writable again the component starts by itself, the agent turns ready and delivers.
/// The hop port's grpc.health.v1 answer follows the same readiness.
/// Needs root (chattr), as the CI machine has.
/// </summary>
public sealed class StartFailureTests : IDisposable
{
    private static readonly TimeSpan Healing = TimeSpan.FromSeconds(60);
    private readonly WorkDirectory _work = new("flumek8s-start-failure-");
    private readonly int _httpPort = Loopback.FreePort();

    public void Dispose()
    {
        Run("chattr", "-R", "-i", _work.Root);
        _work.Dispose();
    }

    [Fact]
    public async Task FileChannelWhoseDirectoryCannotBeCreated_NotReadyWithTheCause_ReadyAndDeliveringOnceItCan()
    {
        var disk = Immutable("disk");
        var config = _work.WriteConfig("agent.properties", HttpAgentConfig.Of(_httpPort,
            HttpAgentConfig.FileChannel(Path.Combine(disk, "checkpoint"), Path.Combine(disk, "data")), $"""
            a1.sinks.k1.type = file_roll
            a1.sinks.k1.sink.directory = {Output}
            a1.sinks.k1.sink.rollInterval = 0
            """));
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);

        var (status, reason) = await ReadyzAsync(agent);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("channel c1: failed to start: Access to the path", reason);
        Assert.Contains(disk, reason);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/healthz")).StatusCode);

        Assert.Equal(0, Run("chattr", "-i", disk));
        await Poll.UntilAsync(async () => (await ReadyzAsync(agent)).Status == HttpStatusCode.OK, "the channel to open and the agent to turn ready", Healing);
        Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, 0, 100));
        await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(Output).Count == 100), "the events delivered");
    }

    [Fact]
    public async Task HdfsSinkWhosePathIsDenied_NotReadyWithTheCause_EventsWait_DeliveredOnceItCan()
    {
        var archive = Immutable("archive");
        var config = _work.WriteConfig("agent.properties", HttpAgentConfig.Of(_httpPort, """
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = 1000
            """, $"""
            a1.sinks.k1.type = hdfs
            a1.sinks.k1.hdfs.path = {archive}
            a1.sinks.k1.hdfs.fileType = DataStream
            a1.sinks.k1.hdfs.rollCount = 0
            a1.sinks.k1.hdfs.rollSize = 0
            """));
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);

        var (status, reason) = await ReadyzAsync(agent);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith($"sink k1: failed to start: Access to the path '{archive}' is denied", reason);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/healthz")).StatusCode);
        // Readiness keeps new traffic away; what arrives anyway waits in the channel.
        Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, 0, 100));
        Assert.Equal(100, await agent.CounterAsync("CHANNEL.c1", "ChannelSize"));

        Assert.Equal(0, Run("chattr", "-i", archive));
        await Poll.UntilAsync(async () => (await ReadyzAsync(agent)).Status == HttpStatusCode.OK, "the sink to start and the agent to turn ready", Healing);
        await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(archive).Count == 100), "the waiting events written");
    }

    [Fact]
    public async Task SinkThatCannotStart_HopPortHealthNotServing_ServingOnceItStarts()
    {
        var archive = Immutable("archive");
        var hopPort = Loopback.FreePort();
        var config = _work.WriteConfig("agent.properties", $"""
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = grpc
            a1.sources.r1.bind = 127.0.0.1
            a1.sources.r1.port = {hopPort}
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.sinks.k1.type = hdfs
            a1.sinks.k1.channel = c1
            a1.sinks.k1.hdfs.path = {archive}
            a1.sinks.k1.hdfs.fileType = DataStream
            """);
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{hopPort}");
        var health = new Health.HealthClient(channel);

        // The hop port follows /readyz: a receiver that cannot deliver tells probes and balancers so.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ReadyzAsync(agent)).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);

        Assert.Equal(0, Run("chattr", "-i", archive));
        await Poll.UntilAsync(
            async () => (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving,
            "the sink to start and the hop port to report SERVING", Healing);
    }

    private string Output => _work.PathOf("out");

    // An empty directory nothing may be created in.
    private string Immutable(string name)
    {
        var path = Directory.CreateDirectory(_work.PathOf(name)).FullName;
        Assert.Equal(0, Run("chattr", "+i", path));
        return path;
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadyzAsync(AgentProcess agent)
    {
        using var response = await agent.GetAsync("/readyz");
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).TrimEnd());
    }

    private static int Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
