using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Topology;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Topology;

public sealed class SyslogToFileRollScenarioTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "flumek8s-syslog-roll-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Agent_SyslogTcpIntoFileRoll_EveryMessageLandsInTheFileWithItsHeaders()
    {
        var config = $"""
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = syslogtcp
            a1.sources.r1.host = 127.0.0.1
            a1.sources.r1.port = 0
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.sinks.k1.type = file_roll
            a1.sinks.k1.sink.directory = {_directory}
            a1.sinks.k1.sink.serializer = HEADER_AND_TEXT
            a1.sinks.k1.channel = c1
            """;
        var loaded = new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load(config);
        Assert.True(loaded.Plan is not null, string.Join("; ", loaded.Problems.Errors));
        Assert.Empty(loaded.Problems.Warnings);
        var host = new AgentHost(AgentServices.ForTests(), new MetricsRegistry());
        await Eventually.Within(host.ApplyAsync(loaded.Plan, CancellationToken.None));
        var source = Assert.IsType<SyslogTcpSource>(Assert.Single(host.Sources));

        using (var client = new TcpClient())
        {
            await Eventually.Within(client.ConnectAsync(source.LocalEndpoint.Address, source.LocalEndpoint.Port));
            var messages = string.Concat(Enumerable.Range(0, 50).Select(i => $"<13>Oct 11 22:14:15 web{i % 3} message {i}\n"));
            await Eventually.Within(client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(messages)).AsTask());
        }
        await Eventually.TrueAsync(() => source.Counter.EventsAccepted == 50, "all messages accepted");
        await Eventually.Within(host.ShutdownAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var lines = Directory.GetFiles(_directory).SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(50, lines.Count);
        for (var i = 0; i < 50; i++)
        {
            Assert.EndsWith($"}} message {i}", lines[i], StringComparison.Ordinal);
            Assert.Contains($"host=web{i % 3}", lines[i], StringComparison.Ordinal);
            Assert.Contains("Facility=1, Severity=5", lines[i], StringComparison.Ordinal);
        }
    }
}
