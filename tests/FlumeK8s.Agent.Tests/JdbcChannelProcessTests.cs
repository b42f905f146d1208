using System.Net;
using FlumeK8s.Runtime.Tests.Channels.Jdbc;
using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The real agent with a jdbc channel: SIGKILL while it produces and while it drains loses no
/// committed event, on an SQLite file and on a PostgreSQL server; a database that is down at start
/// makes the agent not ready (naming the cause) rather than stopping it, and it heals once the
/// database runs; a Derby config is refused before anything starts.
/// </summary>
public sealed class JdbcChannelProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int SinkBatch = 100;
    private const int SeqBatchesInFlight = 2; // the seq source's default
    private const int SinkBatchesInFlight = 2; // file_roll's default
    private readonly WorkDirectory _work = new("flumek8s-jdbc-");

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Sigkill_WhileProducingAndDraining_LosesNoCommittedEvent(string database)
    {
        await using var postgres = database == "postgresql" ? await PostgresServer.StartAsync(durable: true) : null;
        var channel = postgres is null
            ? $"a1.channels.c1.driver.url = {_work.PathOf("channel.db")}"
            : $"""
              a1.channels.c1.db.type = postgresql
              a1.channels.c1.driver.url = jdbc:postgresql://127.0.0.1:{postgres.Port}/postgres?user=postgres
              """;
        var random = new Random();

        // Produce and drain at once, then SIGKILL: what the source had committed must come out.
        var config = _work.WriteConfig("agent.properties", Config(channel, withSource: true));
        long committed = 0;
        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(random.Next(1000, 3000));
            while (DateTime.UtcNow < deadline || committed == 0)
            {
                committed = Math.Max(committed, await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount"));
            }
            agent.Signal(AgentProcess.SigKill);
            await agent.WaitForExitAsync();
        }

        // Without the source (it would count from 0 again), kill the draining agent a few times more.
        config = _work.WriteConfig("agent.properties", Config(channel, withSource: false));
        var kills = 1;
        for (var i = 0; i < 3; i++, kills++)
        {
            await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
            await Task.Delay(random.Next(200, 800));
            agent.Signal(AgentProcess.SigKill);
            await agent.WaitForExitAsync();
        }

        await using (var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            await Poll.UntilAsync(async () => await agent.CounterAsync("CHANNEL.c1", "ChannelSize") == 0, "the channel to drain", TimeSpan.FromMinutes(3));
            agent.Signal(AgentProcess.SigTerm);
            Assert.Equal(0, await agent.WaitForExitAsync());
        }

        var delivered = _work.ReadNumbers("out");
        var distinct = delivered.ToHashSet();
        var duplicates = delivered.Count - distinct.Count;
        output.WriteLine($"{database}: committed before the first kill: at least {committed}; delivered {delivered.Count}, " +
                         $"{distinct.Count} distinct, {duplicates} duplicates after {kills} SIGKILLs");
        Assert.True(distinct.Count >= committed, $"{committed - distinct.Count} committed events were lost");
        SeqNumbers.AssertNoGapBelowBatchesInFlight(distinct, batchSize: 500, SeqBatchesInFlight);
        // Only the batches the sink had written and not yet committed when it was killed come out twice.
        Assert.InRange(duplicates, 0, kills * SinkBatchesInFlight * SinkBatch);
    }

    [Fact]
    public async Task PostgresDownAtStart_NotReadyNamingTheCause_ReadyAndDeliveringOnceItRuns()
    {
        var httpPort = Loopback.FreePort();
        var databasePort = Loopback.FreePort();
        var config = _work.WriteConfig("agent.properties", HttpAgentConfig.Of(httpPort, $"""
            a1.channels.c1.type = jdbc
            a1.channels.c1.db.type = postgresql
            a1.channels.c1.driver.url = Host=127.0.0.1;Port={databasePort};Database=postgres;Timeout=3
            a1.channels.c1.db.username = postgres
            """, $"""
            a1.sinks.k1.type = file_roll
            a1.sinks.k1.sink.directory = {_work.PathOf("out")}
            a1.sinks.k1.sink.rollInterval = 0
            """));
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);

        using (var readyz = await agent.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
            var reason = await readyz.Content.ReadAsStringAsync();
            Assert.StartsWith("channel c1: failed to start:", reason);
            Assert.Contains($"127.0.0.1:{databasePort}", reason);
        }
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/healthz")).StatusCode);

        await using var postgres = await PostgresServer.StartAsync(port: databasePort);
        await Poll.UntilAsync(async () => (await agent.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            "the channel to open and the agent to turn ready", TimeSpan.FromSeconds(90));
        Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(httpPort, 0, 100));
        await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(_work.PathOf("out")).Count == 100), "the events delivered");
    }

    [Fact]
    public async Task DerbyConfig_RefusedBeforeStartNamingWhatToUse()
    {
        var config = _work.WriteConfig("agent.properties", """
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = seq
            a1.sources.r1.channels = c1
            a1.channels.c1.type = jdbc
            a1.channels.c1.db.type = DERBY
            a1.channels.c1.driver.class = org.apache.derby.jdbc.EmbeddedDriver
            a1.sinks.k1.type = null
            a1.sinks.k1.channel = c1
            """);
        await using var agent = AgentProcess.Start("-n", "a1", "-f", config);
        Assert.Equal(2, await agent.WaitForExitAsync());
        var stderr = string.Join('\n', agent.Stderr);
        Assert.Contains("line 7: a1.channels.c1.db.type: Derby is a Java database and is not supported: use db.type=sqlite", stderr);
        Assert.Contains("line 8: a1.channels.c1.driver.class:", stderr);
    }

    private const string SeqSource = "a1.sources = r1\na1.sources.r1.type = seq\na1.sources.r1.channels = c1\n" +
        "a1.sources.r1.batchSize = 500\na1.sources.r1.totalEvents = 3000000";

    // The seq source (left out once it has run: it would count from 0 again) into the jdbc channel c1,
    // drained by a file_roll sink whose lines are the numbers delivered.
    private string Config(string channel, bool withSource) => $"""
        a1.channels = c1
        a1.sinks = k1
        {(withSource ? SeqSource : "")}
        a1.channels.c1.type = jdbc
        {channel}
        a1.channels.c1.maximum.capacity = 3000000
        a1.channels.c1.transactionCapacity = 1000
        a1.sinks.k1.type = file_roll
        a1.sinks.k1.channel = c1
        a1.sinks.k1.sink.directory = {_work.PathOf("out")}
        a1.sinks.k1.sink.batchSize = {SinkBatch}
        a1.sinks.k1.sink.rollInterval = 0
        """;
}
