using System.Text;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Sources.Files;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Sources;

public sealed class FileSourcesTopologyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Apply_ExecSpooldirAndTaildirConfigured_AllFeedTheirChannel()
    {
        Directory.CreateDirectory(_dir.Combine("spool"));
        Directory.CreateDirectory(_dir.Combine("logs"));
        var spooled = _dir.WriteLines("spool/a.txt", ["spooled"]);
        File.SetLastWriteTimeUtc(spooled, DateTime.UtcNow.AddMinutes(-1));
        _dir.WriteLines("logs/app.log", ["tailed"]);
        var text = $"""
            a1.sources = e s t
            a1.channels = c1
            a1.sources.e.type = exec
            a1.sources.e.command = echo executed
            a1.sources.e.channels = c1
            a1.sources.s.type = org.apache.flume.source.SpoolDirectorySource
            a1.sources.s.spoolDir = {_dir.Combine("spool")}
            a1.sources.s.pollDelay = 50
            a1.sources.s.channels = c1
            a1.sources.t.type = TAILDIR
            a1.sources.t.filegroups = f1
            a1.sources.t.filegroups.f1 = {_dir.Combine("logs")}/.*\.log
            a1.sources.t.positionFile = {_dir.Combine("taildir.json")}
            a1.sources.t.channels = c1
            a1.channels.c1.type = memory
            """;
        var result = new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load(text);
        Assert.Empty(result.Problems.Errors);
        Assert.DoesNotContain(result.Problems.Warnings, w => w.Key.Contains(".sources.", StringComparison.Ordinal));
        var host = new AgentHost(AgentServices.ForTests(), new MetricsRegistry());
        var received = new List<string>();

        await host.ApplyAsync(result.Plan!, CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => Drain(host, received) == 3, "one event from each source");
        }
        finally
        {
            await Eventually.Within(host.ShutdownAsync(TimeSpan.Zero, CancellationToken.None));
        }

        Assert.Equal(["executed", "spooled", "tailed"], received.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(spooled + ".COMPLETED"));
        Assert.True(File.Exists(_dir.Combine("taildir.json")));
    }

    private static int Drain(AgentHost host, List<string> received)
    {
        var events = new List<Event>();
        using var transaction = host.Channels["c1"].BeginTransaction();
        transaction.TakeBatch(events, 100);
        transaction.CommitAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        received.AddRange(events.Select(e => Encoding.UTF8.GetString(e.Body)));
        return received.Count;
    }
}
