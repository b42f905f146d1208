using System.Globalization;
using System.Text;
using System.Text.Json;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Sources.Files;
using FlumeK8s.Runtime.Sources.Taildir;
using FlumeK8s.Runtime.Tests.Sources.Files;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Taildir;

public sealed class TaildirSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Event> _received = [];

    public TaildirSourceTests()
    {
        Directory.CreateDirectory(_dir.Combine("logs"));
        Directory.CreateDirectory(_dir.Combine("other"));
    }

    private string PositionFile => _dir.Combine("state", "taildir_position.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Process_MatchingFiles_LinesWithGroupHeadersFileAndOffset()
    {
        var a = _dir.WriteLines("logs/a.log", ["a1", "a2"]);
        _dir.WriteLines("logs/b.txt", ["not matched"]);
        _dir.WriteLines("other/app.txt", ["x"]);
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, TimeProvider.System,
            "filegroups=g1 g2", $@"filegroups.g1={_dir.Combine("logs")}/.*\.log", $@"filegroups.g2={_dir.Combine("other")}/app\.txt",
            "headers.g1.topic=one", "fileHeader=true", "byteOffsetHeader=true");

        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(["a1", "a2", "x"], Bodies().Order(StringComparer.Ordinal));
        var a2 = _received.Single(e => Body(e) == "a2");
        Assert.Equal("one", a2.GetHeader("topic"));
        Assert.Equal(a, a2.GetHeader("file"));
        Assert.Equal("3", a2.GetHeader("byteoffset"));
        Assert.Null(_received.Single(e => Body(e) == "x").GetHeader("topic"));
    }

    [Fact]
    public async Task Process_PartialLastLine_DeliveredOnlyOnceItsNewlineArrives()
    {
        var path = _dir.Combine("logs", "a.log");
        File.WriteAllText(path, "one\ntw");
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, TimeProvider.System);

        await PollUntilIdleAsync(source, pipeline);
        var before = Bodies();
        File.AppendAllText(path, "o\n");
        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(["one"], before);
        AssertReceived(["one", "two"]);
    }

    [Fact]
    public async Task Restart_LinesAppendedWhileStopped_EveryLineExactlyOnce()
    {
        var path = _dir.WriteLines("logs/a.log", Lines(1, 50));
        var pipeline = new TestPipeline();
        var first = await StartAsync(pipeline, TimeProvider.System, "batchSize=10");
        await PollUntilIdleAsync(first, pipeline);
        await first.StopAsync(CancellationToken.None);

        File.AppendAllText(path, string.Concat(Lines(51, 80).Select(l => l + "\n")));
        var second = await StartAsync(pipeline, TimeProvider.System, "batchSize=10");
        await PollUntilIdleAsync(second, pipeline);
        await second.StopAsync(CancellationToken.None);

        AssertReceived(Lines(1, 80));
    }

    [Fact]
    public async Task Restart_StoppedWithARefusedBatch_ResumesFromLastCommitWithoutLoss()
    {
        var path = _dir.WriteLines("logs/a.log", Lines(1, 100));
        var small = new TestPipeline(capacity: 25, transactionCapacity: 10, keepAlive: TimeSpan.Zero);
        // One batch in flight, so the batches that got the room are the first two (with more, a later
        // batch may take it and the refused one is read again after it: see the window's tests).
        var first = await StartAsync(small, TimeProvider.System, "batchSize=10", "batches-in-flight=1");

        Assert.Equal(PollStatus.Backoff, await Eventually.Within(first.ProcessAsync(CancellationToken.None).AsTask()));
        await first.StopAsync(CancellationToken.None);
        Collect(small);

        AssertReceived(Lines(1, 20));
        var saved = ReadPositions();
        Assert.Equal(NativeFileStat.Of(path)!.Value.Inode, saved.Single().Inode);
        Assert.Equal(Encoding.UTF8.GetByteCount(string.Concat(Lines(1, 20).Select(l => l + "\n"))), saved.Single().Pos);
        Assert.Equal(path, saved.Single().File);

        var large = new TestPipeline();
        var second = await StartAsync(large, TimeProvider.System, "batchSize=10");
        await PollUntilIdleAsync(second, large);
        await second.StopAsync(CancellationToken.None);

        AssertReceived(Lines(1, 100));
    }

    [Fact]
    public async Task Process_MiddleBatchRefusedWhileLaterOnesCommit_PositionStopsAtTheAcknowledgedBatch()
    {
        var path = _dir.WriteLines("logs/a.log", Lines(1, 40));
        var channel = new HeldCommitChannel();
        var first = await StartAsync(new ChannelProcessor(new ReplicatingSelector([channel], []), []), TimeProvider.System,
            "batchSize=10", "batches-in-flight=4");

        var poll = first.ProcessAsync(CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => channel.Waiting == 4, "the file's four batches in flight");
        channel.Commit("line-31");
        channel.Commit("line-21");
        channel.Refuse("line-11");
        channel.Commit("line-1");
        Assert.Equal(PollStatus.Backoff, await Eventually.Within(poll));
        await first.StopAsync(CancellationToken.None);

        // Batches 3 and 4 are in the channel, but the saved position is after batch 1 only.
        Assert.Equal(Lines(1, 10).Concat(Lines(21, 40)).Order(StringComparer.Ordinal), channel.Committed.Order(StringComparer.Ordinal));
        Assert.Equal(Encoding.UTF8.GetByteCount(string.Concat(Lines(1, 10).Select(l => l + "\n"))), ReadPositions().Single().Pos);

        var pipeline = new TestPipeline();
        var second = await StartAsync(pipeline, TimeProvider.System, "batchSize=10");
        await PollUntilIdleAsync(second, pipeline);
        await second.StopAsync(CancellationToken.None);

        // Read again from there: nothing lost, batches 3 and 4 twice.
        AssertReceived(Lines(11, 40));
        Assert.Equal(new FileInfo(path).Length, ReadPositions().Single().Pos);
    }

    [Fact]
    public async Task Process_FullChannel_RetriedUntilEveryLineDeliveredOnce()
    {
        _dir.WriteLines("logs/a.log", Lines(1, 100));
        var pipeline = new TestPipeline(capacity: 10, transactionCapacity: 5, keepAlive: TimeSpan.Zero);
        // Exactly once needs one batch in flight: with more, a batch after a refused one may commit and is then read again.
        var source = await StartAsync(pipeline, TimeProvider.System, "batchSize=5", "batches-in-flight=1");

        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (Collect(pipeline) < 100 && DateTime.UtcNow < deadline)
        {
            await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask());
        }
        await source.StopAsync(CancellationToken.None);

        AssertReceived(Lines(1, 100));
        Assert.True(source.Counter.ChannelWriteFails > 0);
    }

    [Fact]
    public async Task Rotation_FileRenamedAndNewOneCreated_OldReadToItsEndThenNewFromStart()
    {
        var time = new ManualTimeProvider();
        var path = _dir.WriteLines("logs/app.log", Lines(1, 10));
        var pipeline = new TestPipeline();
        // One batch in flight: the rotated file's last batch and the new file's first could otherwise commit side by side.
        var source = await StartAsync(pipeline, time, $@"filegroups.g1={_dir.Combine("logs")}/app\.log", "writePosInterval=1", "batches-in-flight=1");
        await PollUntilIdleAsync(source, pipeline);

        File.AppendAllText(path, string.Concat(Lines(11, 13).Select(l => l + "\n")));
        File.Move(path, path + ".1");
        File.AppendAllText(path + ".1", string.Concat(Lines(14, 15).Select(l => l + "\n")));
        var rotatedInode = NativeFileStat.Of(path + ".1")!.Value.Inode;
        File.SetLastWriteTimeUtc(path + ".1", DateTime.UtcNow.AddSeconds(-10)); // older than the new file, as in a real rotation
        _dir.WriteLines("logs/app.log", Lines(16, 20));
        await PollUntilIdleAsync(source, pipeline);

        Assert.Equal(Lines(1, 20), Bodies());
        time.Advance(TimeSpan.FromMilliseconds(10));
        await PollUntilIdleAsync(source, pipeline);
        Assert.Contains(ReadPositions(), p => p.Inode == rotatedInode && p.File == path + ".1");

        // Idle past idleTimeout: the rotated file is closed and forgotten, the live one kept.
        time.Advance(TimeSpan.FromMilliseconds(120000));
        await PollUntilIdleAsync(source, pipeline);
        Assert.Equal(0, source.OpenFiles);
        await source.StopAsync(CancellationToken.None);
        Assert.Equal([path], ReadPositions().Select(p => p.File));
    }

    [Fact]
    public async Task Restart_RotatedWhileStopped_RotatedFileFinishedAndNewFileRead()
    {
        var path = _dir.WriteLines("logs/app.log", Lines(1, 10));
        var pipeline = new TestPipeline();
        var properties = new[] { $@"filegroups.g1={_dir.Combine("logs")}/app\.log", "headers.g1.kind=app" };
        var first = await StartAsync(pipeline, TimeProvider.System, properties);
        await PollUntilIdleAsync(first, pipeline);
        await first.StopAsync(CancellationToken.None);

        File.AppendAllText(path, string.Concat(Lines(11, 12).Select(l => l + "\n")));
        File.Move(path, path + ".1");
        File.SetLastWriteTimeUtc(path + ".1", DateTime.UtcNow.AddMinutes(-1));
        _dir.WriteLines("logs/app.log", Lines(13, 14));
        var second = await StartAsync(pipeline, TimeProvider.System, properties);
        await PollUntilIdleAsync(second, pipeline);
        await second.StopAsync(CancellationToken.None);

        AssertReceived(Lines(1, 14));
        Assert.All(_received, e => Assert.Equal("app", e.GetHeader("kind")));
    }

    [Fact]
    public async Task Rename_WithinThePattern_SameFileContinuesWithoutRepeats()
    {
        var path = _dir.WriteLines("logs/a.log", Lines(1, 3));
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, TimeProvider.System, "fileHeader=true");
        await PollUntilIdleAsync(source, pipeline);

        File.Move(path, _dir.Combine("logs", "b.log"));
        File.AppendAllText(_dir.Combine("logs", "b.log"), "line-4\n");
        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        AssertReceived(Lines(1, 4));
        Assert.Equal(_dir.Combine("logs", "b.log"), _received[^1].GetHeader("file"));
    }

    [Fact]
    public async Task SkipToEnd_ExistingContentSkipped_NewLinesAndNewFilesRead()
    {
        var path = _dir.WriteLines("logs/a.log", ["old"]);
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, TimeProvider.System, "skipToEnd=true");
        await PollUntilIdleAsync(source, pipeline);

        File.AppendAllText(path, "new\n");
        _dir.WriteLines("logs/b.log", ["created later"]);
        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(["created later", "new"], Bodies().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Process_FileTruncated_ReadAgainFromStart()
    {
        var path = _dir.WriteLines("logs/a.log", Lines(1, 5));
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, TimeProvider.System);
        await PollUntilIdleAsync(source, pipeline);

        File.WriteAllText(path, "after-truncate\n");
        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        AssertReceived([.. Lines(1, 5), "after-truncate"]);
    }

    [Fact]
    public async Task IdleTimeout_IdleFileClosed_ReopenedWhenItGrows()
    {
        var time = new ManualTimeProvider();
        var path = _dir.WriteLines("logs/a.log", ["one"]);
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, time, "idleTimeout=1000");
        await PollUntilIdleAsync(source, pipeline);
        Assert.Equal(1, source.OpenFiles);

        time.Advance(TimeSpan.FromMilliseconds(1000));
        await PollUntilIdleAsync(source, pipeline);
        Assert.Equal(0, source.OpenFiles);

        File.AppendAllText(path, "two\n");
        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        AssertReceived(["one", "two"]);
    }

    [Fact]
    public async Task Rotation_AfterIdleClose_RotatedFileForgottenAndNewFileRead()
    {
        var time = new ManualTimeProvider();
        var path = _dir.WriteLines("logs/app.log", ["one"]);
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, time, $@"filegroups.g1={_dir.Combine("logs")}/app\.log", "idleTimeout=1000");
        await PollUntilIdleAsync(source, pipeline);
        time.Advance(TimeSpan.FromMilliseconds(1000));
        await PollUntilIdleAsync(source, pipeline);
        Assert.Equal(0, source.OpenFiles);

        File.Move(path, path + ".1");
        _dir.WriteLines("logs/app.log", ["two"]);
        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        AssertReceived(["one", "two"]);
        var saved = Assert.Single(ReadPositions());
        Assert.Equal((path, 4L), (saved.File, saved.Pos));
    }

    [Fact]
    public async Task Start_CorruptPositionFile_StartsWithoutPositions()
    {
        _dir.WriteLines("logs/a.log", ["one"]);
        Directory.CreateDirectory(Path.GetDirectoryName(PositionFile)!);
        File.WriteAllText(PositionFile, "[{\"inode\":");
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, TimeProvider.System);

        await PollUntilIdleAsync(source, pipeline);
        await source.StopAsync(CancellationToken.None);

        AssertReceived(["one"]);
        Assert.Single(ReadPositions());
    }

    [Fact]
    public void Read_Defaults_AreFlumes()
    {
        var (context, problems) = TestPipeline.Context("filegroups=f1", @"filegroups.f1=/var/log/app/.*\.log");

        var settings = TaildirSourceSettings.Read(context);

        Assert.False(problems.HasErrors);
        var group = Assert.Single(settings.FileGroups);
        Assert.Equal("/var/log/app", group.Directory);
        Assert.Matches(group.FileNamePattern, "x.log");
        Assert.DoesNotMatch(group.FileNamePattern, "x.log.1");
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".flume", "taildir_position.json"), settings.PositionFile);
        Assert.False(settings.ByteOffsetHeader);
        Assert.False(settings.SkipToEnd);
        Assert.Equal(TimeSpan.FromMilliseconds(120000), settings.IdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), settings.WritePosInterval);
        Assert.Equal(100, settings.BatchSize);
        Assert.Equal(long.MaxValue, settings.MaxBatchCount);
        Assert.True(settings.CachePatternMatching);
        Assert.Null(settings.FileHeaderKey);
    }

    [Fact]
    public void Read_BadValues_EachReportedWithItsKey()
    {
        var (context, problems) = TestPipeline.Context(
            "filegroups=f1 f2 f3", "filegroups.f1=relative/.*", "filegroups.f2=/var/log/([", "headers.nope.k=v", "maxBatchCount=0");

        TaildirSourceSettings.Read(context);

        var keys = problems.Errors.Select(p => p.Key["a1.sources.r1.".Length..]).Order(StringComparer.Ordinal);
        Assert.Equal(["filegroups.f1", "filegroups.f2", "filegroups.f3", "headers.nope.k", "maxBatchCount"], keys);
    }

    private Task<TaildirSource> StartAsync(TestPipeline pipeline, TimeProvider time, params string[] properties) =>
        StartAsync(pipeline.Processor, time, properties);

    private async Task<TaildirSource> StartAsync(ChannelProcessor processor, TimeProvider time, params string[] properties)
    {
        string[] defaults = properties.Any(p => p.StartsWith("filegroups.", StringComparison.Ordinal))
            ? ["filegroups=g1"]
            : ["filegroups=g1", $@"filegroups.g1={_dir.Combine("logs")}/.*\.log"];
        string[] all = [$"positionFile={PositionFile}", .. defaults.Where(d => !properties.Any(p => p.Split('=')[0] == d.Split('=')[0])), .. properties];
        var (context, problems) = TestPipeline.Context(all);
        var settings = TaildirSourceSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        var source = new TaildirSource("r1", settings, processor, AgentServices.ForTests(time: time));
        await source.StartAsync(CancellationToken.None);
        return source;
    }

    // Polls until a poll moves nothing, collecting what reached the channel.
    private async Task PollUntilIdleAsync(TaildirSource source, TestPipeline pipeline)
    {
        for (var polls = 0; polls < 1000; polls++)
        {
            var status = await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask());
            Collect(pipeline);
            if (status == PollStatus.Backoff)
            {
                return;
            }
        }
        throw new InvalidOperationException("the source kept reporting work");
    }

    private List<(ulong Inode, long Pos, string File)> ReadPositions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PositionFile));
        return [.. json.RootElement.EnumerateArray().Select(e =>
            (e.GetProperty("inode").GetUInt64(), e.GetProperty("pos").GetInt64(), e.GetProperty("file").GetString()!))];
    }

    private int Collect(TestPipeline pipeline)
    {
        _received.AddRange(pipeline.Drain());
        return _received.Count;
    }

    private List<string> Bodies() => [.. _received.Select(Body)];

    // Each expected line exactly once. With batches in flight (the default) two batches may commit
    // side by side and enter the channel in either order; within a batch lines keep their order.
    private void AssertReceived(IEnumerable<string> expected) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), Bodies().Order(StringComparer.Ordinal));

    private static string Body(Event e) => Encoding.UTF8.GetString(e.Body);

    private static List<string> Lines(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(i => "line-" + i.ToString(CultureInfo.InvariantCulture))];
}
