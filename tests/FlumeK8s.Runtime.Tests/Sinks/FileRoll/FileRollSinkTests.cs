using System.Text;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sinks.FileRoll;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sinks.FileRoll;

public sealed class FileRollSinkTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "flumek8s-fileroll-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly MemoryChannel _channel = new("c1", new MemoryChannelSettings(1000, 100, TimeSpan.Zero, 1L << 30));

    public FileRollSinkTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string SinkDirectory => Path.Combine(_root, "out");

    private FileRollSink NewSink(
        TimeSpan? roll = null,
        FileRollSerializerKind serializer = FileRollSerializerKind.Text,
        FileRollPathManagerKind pathManager = FileRollPathManagerKind.Default,
        string prefix = "",
        string extension = "",
        string? directory = null) =>
        new("k1", _channel, new FileRollSinkSettings(directory ?? SinkDirectory, roll ?? TimeSpan.FromSeconds(30), serializer, true, 100, pathManager, prefix, extension),
            _clock, NullLogger.Instance);

    private async Task PutAsync(params Event[] events)
    {
        using var transaction = _channel.BeginTransaction();
        transaction.PutBatch(events);
        await Eventually.Within(transaction.CommitAsync(CancellationToken.None).AsTask());
    }

    private Task PutTextAsync(params string[] bodies) => PutAsync([.. bodies.Select(b => Event.FromText(b))]);

    private static async Task<PollStatus> ProcessAsync(ISink sink) => await Eventually.Within(sink.ProcessAsync(CancellationToken.None).AsTask());

    private string[] Files() => [.. Directory.GetFiles(SinkDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private string Read(string name) => File.ReadAllText(Path.Combine(SinkDirectory, name));

    [Fact]
    public async Task ProcessAsync_TextSerializer_FileHoldsExactlyTheEventsInOrder()
    {
        var sink = NewSink();
        await PutTextAsync("alpha", "beta", "gamma");

        Assert.Equal(PollStatus.Ready, await ProcessAsync(sink));

        var name = Assert.Single(Files());
        Assert.Equal($"{Start.ToUnixTimeMilliseconds()}-1", name);
        Assert.Equal("alpha\nbeta\ngamma\n", Read(name));
        Assert.Equal(0, _channel.Counter.Size);
        Assert.Equal(3, sink.Counter.EventsDrained);
    }

    [Fact]
    public async Task ProcessAsync_FourBatchesInFlight_EveryEventOnceAsAWholeLineInChannelOrder()
    {
        var sink = NewSink(roll: TimeSpan.Zero);
        var bodies = Enumerable.Range(0, 900).Select(i => $"event-{i}-" + new string('x', i % 50)).ToList();
        foreach (var chunk in bodies.Chunk(100))
        {
            await PutTextAsync(chunk);
        }

        await ConcurrentDrain.RunAsync(sink, 4);

        var lines = Read(Assert.Single(Files())).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(bodies, lines);
        Assert.Equal(900, sink.Counter.EventsDrained);
    }

    [Fact]
    public async Task ProcessAsync_EmptyChannel_BackoffAndNoFile()
    {
        var sink = NewSink();
        await Eventually.Within(((ISink)sink).StartAsync(CancellationToken.None));

        Assert.Equal(PollStatus.Backoff, await ProcessAsync(sink));

        Assert.Empty(Files());
    }

    [Fact]
    public async Task ProcessAsync_RollIntervalPasses_NextBatchGoesToTheNextFile()
    {
        var sink = NewSink(roll: TimeSpan.FromSeconds(30));
        await PutTextAsync("one");
        await ProcessAsync(sink);
        _clock.Advance(TimeSpan.FromSeconds(29));
        await PutTextAsync("two");
        await ProcessAsync(sink);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(sink.CurrentFile);
        await PutTextAsync("three");
        await ProcessAsync(sink);

        var series = Start.ToUnixTimeMilliseconds();
        Assert.Equal([$"{series}-1", $"{series}-2"], Files());
        Assert.Equal("one\ntwo\n", Read($"{series}-1"));
        Assert.Equal("three\n", Read($"{series}-2"));
        Assert.Equal(1, sink.Counter.Get("ConnectionClosedCount"));
    }

    [Fact]
    public async Task ProcessAsync_RollIntervalZero_NeverRolls()
    {
        var sink = NewSink(roll: TimeSpan.Zero);
        await PutTextAsync("one");
        await ProcessAsync(sink);

        _clock.Advance(TimeSpan.FromDays(3));
        await PutTextAsync("two");
        await ProcessAsync(sink);

        var name = Assert.Single(Files());
        Assert.Equal("one\ntwo\n", Read(name));
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task ProcessAsync_HeaderAndText_FlumeMapFormatBeforeTheBody()
    {
        var sink = NewSink(serializer: FileRollSerializerKind.HeaderAndText);
        var withHeaders = Event.FromText("body one", new Dictionary<string, string> { ["host"] = "web1", ["timestamp"] = "1700000000000" });
        await PutAsync(withHeaders, Event.FromText("bare"));

        await ProcessAsync(sink);

        Assert.Equal("{host=web1, timestamp=1700000000000} body one\n{} bare\n", Read(Assert.Single(Files())));
    }

    [Fact]
    public async Task ProcessAsync_PrefixAndExtension_FlumeDefaultNaming()
    {
        var sink = NewSink(roll: TimeSpan.FromSeconds(10), prefix: "events-", extension: "log");
        await PutTextAsync("a");
        await ProcessAsync(sink);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await PutTextAsync("b");
        await ProcessAsync(sink);

        var series = Start.ToUnixTimeMilliseconds();
        Assert.Equal([$"events-{series}-1.log", $"events-{series}-2.log"], Files());
    }

    [Fact]
    public async Task ProcessAsync_RollTimePathManager_NamedAfterTheOpeningSecond()
    {
        var sink = NewSink(roll: TimeSpan.FromSeconds(1), pathManager: FileRollPathManagerKind.RollTime, prefix: "app-", extension: "txt");
        await PutTextAsync("a");
        await ProcessAsync(sink);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await PutTextAsync("b");
        await ProcessAsync(sink);

        Assert.Equal(["app-20260101000000-1.txt", "app-20260101000001-1.txt"], Files());
    }

    [Fact]
    public async Task ProcessAsync_NameAlreadyTaken_SkipsItInsteadOfOverwriting()
    {
        Directory.CreateDirectory(SinkDirectory);
        var taken = $"{Start.ToUnixTimeMilliseconds()}-1";
        await File.WriteAllTextAsync(Path.Combine(SinkDirectory, taken), "keep me\n");
        var sink = NewSink();
        await PutTextAsync("new");

        await ProcessAsync(sink);

        Assert.Equal("keep me\n", Read(taken));
        Assert.Equal("new\n", Read($"{Start.ToUnixTimeMilliseconds()}-2"));
    }

    [Fact]
    public async Task StartAsync_DirectoryMissing_CreatedWithParents()
    {
        var sink = NewSink();
        Assert.False(Directory.Exists(SinkDirectory));

        await Eventually.Within(((ISink)sink).StartAsync(CancellationToken.None));

        Assert.True(Directory.Exists(SinkDirectory));
    }

    [Fact]
    public async Task StartAsync_DirectoryCannotBeCreated_Fails()
    {
        // A file where a parent directory should be: the runner retries a start that fails, and says why.
        File.WriteAllText(Path.Combine(_root, "taken"), "");
        var sink = NewSink(directory: Path.Combine(_root, "taken", "out"));

        await Assert.ThrowsAnyAsync<IOException>(() => Eventually.Within(((ISink)sink).StartAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task ProcessAsync_DirectoryRemovedWhileAFileIsOpen_BatchRollsBackThenGoesToANewFile()
    {
        var sink = NewSink();
        await PutTextAsync("before");
        await ProcessAsync(sink);
        Directory.Delete(SinkDirectory, recursive: true);
        await PutTextAsync("during-1", "during-2");

        await Assert.ThrowsAsync<IOException>(() => ProcessAsync(sink));

        Assert.Equal(2, _channel.Counter.Size);
        Assert.Equal(1, sink.Counter.Get("EventWriteFail"));
        Assert.Equal(PollStatus.Ready, await ProcessAsync(sink));
        Assert.Equal("during-1\nduring-2\n", Read(Assert.Single(Files())));
        Assert.Equal(0, _channel.Counter.Size);
    }

    [Fact]
    public async Task ProcessAsync_DirectoryCannotBeCreated_BatchRollsBackIntoTheChannel()
    {
        await File.WriteAllTextAsync(SinkDirectory, "a file where the directory should be");
        var sink = NewSink();
        await PutTextAsync("x", "y");

        await Assert.ThrowsAsync<IOException>(() => ProcessAsync(sink));

        Assert.Equal(2, _channel.Counter.Size);
        Assert.Equal(1, sink.Counter.Get("ConnectionFailedCount"));
        Assert.Equal(0, sink.Counter.EventsDrained);
        File.Delete(SinkDirectory);
        await ProcessAsync(sink);
        Assert.Equal("x\ny\n", Read(Assert.Single(Files())));
    }

    [Fact]
    public async Task StopAsync_OpenFile_ClosedAndRollTimerCancelled()
    {
        var sink = NewSink();
        await PutTextAsync("a");
        await ProcessAsync(sink);
        Assert.Equal(1, _clock.PendingTimers);

        await Eventually.Within(((ISink)sink).StopAsync(CancellationToken.None));

        Assert.Null(sink.CurrentFile);
        Assert.Equal(0, _clock.PendingTimers);
        Assert.Equal(1, sink.Counter.Get("ConnectionClosedCount"));
    }

    [Fact]
    public async Task ProcessAsync_ManyBatches_FileIsTheConcatenationOfAllBatches()
    {
        var sink = NewSink();
        var expected = new StringBuilder();
        for (var batch = 0; batch < 5; batch++)
        {
            var bodies = Enumerable.Range(0, 100).Select(i => $"b{batch}-e{i}").ToArray();
            await PutTextAsync(bodies);
            await ProcessAsync(sink);
            foreach (var body in bodies)
            {
                expected.Append(body).Append('\n');
            }
        }

        Assert.Equal(expected.ToString(), Read(Assert.Single(Files())));
        Assert.Matches(new Regex("^[0-9]+-1$"), Files()[0]);
    }
}
