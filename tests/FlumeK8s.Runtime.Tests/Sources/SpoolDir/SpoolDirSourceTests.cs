using System.Globalization;
using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.SpoolDir;
using FlumeK8s.Runtime.Tests.Sources.Files;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.SpoolDir;

public sealed class SpoolDirSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Event> _received = [];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_RenamePolicy_AllLinesDeliveredThenFilesRenamed()
    {
        Old(_dir.WriteLines("a.log", ["a1", "a2", "a3"]), minutesAgo: 10);
        Old(_dir.WriteLines("b.log", ["b1", "b2"]), minutesAgo: 5);
        var pipeline = new TestPipeline();

        await using (await StartAsync(pipeline, "fileHeader=true", "basenameHeader=true"))
        {
            await Eventually.TrueAsync(() => File.Exists(_dir.Combine("b.log.COMPLETED")), "b.log to be renamed");
        }

        Collect(pipeline);
        Assert.Equal(["a1", "a2", "a3", "b1", "b2"], Bodies());
        Assert.Equal(_dir.Combine("a.log"), _received[0].GetHeader("file"));
        Assert.Equal("b.log", _received[4].GetHeader("basename"));
        Assert.True(File.Exists(_dir.Combine("a.log.COMPLETED")));
        Assert.False(File.Exists(_dir.Combine("a.log")));
        Assert.False(File.Exists(_dir.Combine(".flumespool", SpoolPositionStore.FileName)));
    }

    [Fact]
    public async Task Run_DeletePolicyImmediate_FilesDeletedAfterDelivery()
    {
        Old(_dir.WriteLines("a.log", ["a1", "a2"]));
        var pipeline = new TestPipeline();

        await using (await StartAsync(pipeline, "deletePolicy=immediate"))
        {
            await Eventually.TrueAsync(() => !File.Exists(_dir.Combine("a.log")), "a.log to be deleted");
        }

        Collect(pipeline);
        Assert.Equal(["a1", "a2"], Bodies());
        Assert.False(File.Exists(_dir.Combine("a.log.COMPLETED")));
    }

    [Fact]
    public async Task Run_TrackerDirPolicy_FileKeptAndNotReadAgainAfterRestart()
    {
        Old(_dir.WriteLines("a.log", ["a1", "a2"]));
        var pipeline = new TestPipeline();
        var marker = _dir.Combine(".flumespool", "a.log.COMPLETED");

        await using (await StartAsync(pipeline, "trackingPolicy=tracker_dir"))
        {
            await Eventually.TrueAsync(() => File.Exists(marker), "the tracker marker");
        }
        await using (await StartAsync(pipeline, "trackingPolicy=tracker_dir"))
        {
            Old(_dir.WriteLines("b.log", ["b1"]));
            await Eventually.TrueAsync(() => File.Exists(_dir.Combine(".flumespool", "b.log.COMPLETED")), "b.log's marker");
        }

        Collect(pipeline);
        Assert.Equal(["a1", "a2", "b1"], Bodies());
        Assert.True(File.Exists(_dir.Combine("a.log")));
    }

    [Fact]
    public async Task Run_IncludeAndIgnorePatterns_OnlyMatchingVisibleFilesRead()
    {
        Old(_dir.WriteLines("a.log", ["a"]), minutesAgo: 10);
        Old(_dir.WriteLines("b.txt", ["b"]), minutesAgo: 10);
        Old(_dir.WriteLines("skip-me.log", ["skip"]), minutesAgo: 10);
        Old(_dir.WriteLines(".hidden.log", ["hidden"]), minutesAgo: 10);
        Old(_dir.WriteLines("z.log", ["z"]), minutesAgo: 1);
        var pipeline = new TestPipeline();

        await using (await StartAsync(pipeline, @"includePattern=^.*\.log$", "ignorePattern=^skip.*$"))
        {
            await Eventually.TrueAsync(() => File.Exists(_dir.Combine("z.log.COMPLETED")), "z.log, the youngest file, to be done");
        }

        Collect(pipeline);
        Assert.Equal(["a", "z"], Bodies());
        Assert.True(File.Exists(_dir.Combine("b.txt")));
        Assert.True(File.Exists(_dir.Combine("skip-me.log")));
        Assert.True(File.Exists(_dir.Combine(".hidden.log")));
    }

    [Fact]
    public async Task Run_FileGrowsWhileRead_EverythingDeliveredBeforeItIsMarkedDone()
    {
        var path = _dir.WriteLines("a.log", Lines(1, 50));
        var pipeline = new TestPipeline(capacity: 10, transactionCapacity: 10, keepAlive: TimeSpan.Zero);

        await using (var source = await StartAsync(pipeline, "batchSize=10", "pollDelay=1000"))
        {
            // The channel holds 10 lines and refuses the next batch: the source is mid-file.
            await Eventually.TrueAsync(() => source.Source.Counter.ChannelWriteFails > 0, "the channel to fill");
            File.AppendAllText(path, string.Concat(Lines(51, 100).Select(l => l + "\n")) + "last-without-newline");
            await Eventually.TrueAsync(() => Collect(pipeline) == 101, "all lines", TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(() => File.Exists(path + ".COMPLETED"), "the file to be done");
        }

        Assert.Equal([.. Lines(1, 100), "last-without-newline"], Bodies());
    }

    [Fact]
    public async Task Run_UnreadableFiles_ReportedSkippedAndOthersContinue()
    {
        File.CreateSymbolicLink(_dir.Combine("a-broken.log"), _dir.Combine("no-such-target"));
        var bad = _dir.Combine("b-bad.log");
        File.WriteAllBytes(bad, [.. Encoding.UTF8.GetBytes("fine\n"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(" bad\nnever\n")]);
        Old(bad, minutesAgo: 5);
        Old(_dir.WriteLines("c-good.log", ["good1", "good2"]), minutesAgo: 1);
        var pipeline = new TestPipeline();

        await using (var source = await StartAsync(pipeline))
        {
            await Eventually.TrueAsync(() => File.Exists(_dir.Combine("c-good.log.COMPLETED")), "the good file to be done");
            Assert.Equal(2, source.Source.Counter.Get("EventReadFail"));
        }

        Collect(pipeline);
        Assert.Equal(["fine", "good1", "good2"], Bodies());
        Assert.True(File.Exists(bad));
        Assert.False(File.Exists(bad + ".COMPLETED"));
    }

    [Fact]
    public async Task Restart_StoppedMidFile_ResumesAfterLastCommittedBatchWithoutLoss()
    {
        var path = _dir.WriteLines("a.log", Lines(1, 100));
        Old(path);
        var small = new TestPipeline(capacity: 30, transactionCapacity: 10, keepAlive: TimeSpan.Zero);
        await using (var first = await StartAsync(small, "batchSize=10"))
        {
            await Eventually.TrueAsync(() => first.Source.Counter.ChannelWriteFails > 0, "the channel to fill mid-file");
        }
        Collect(small);
        Assert.True(File.Exists(_dir.Combine(".flumespool", SpoolPositionStore.FileName)));
        Assert.True(File.Exists(path));

        var large = new TestPipeline();
        await using (await StartAsync(large, "batchSize=10"))
        {
            await Eventually.TrueAsync(() => File.Exists(path + ".COMPLETED"), "the file to be done after the restart");
        }

        Collect(large);
        Assert.Equal(Lines(1, 100), Bodies());
    }

    [Fact]
    public async Task Restart_CorruptPositionFile_FileReadAgainFromStart()
    {
        var path = _dir.WriteLines("a.log", Lines(1, 5));
        Old(path);
        Directory.CreateDirectory(_dir.Combine(".flumespool"));
        File.WriteAllText(_dir.Combine(".flumespool", SpoolPositionStore.FileName), "{\"version\":1,\"file\":\"a.log\",\"inode\":1,");
        var pipeline = new TestPipeline();

        await using (await StartAsync(pipeline))
        {
            await Eventually.TrueAsync(() => File.Exists(path + ".COMPLETED"), "the file to be done");
        }

        Collect(pipeline);
        Assert.Equal(Lines(1, 5), Bodies());
    }

    [Fact]
    public async Task Run_DecodeErrorPolicies_ReplaceAndIgnore()
    {
        File.WriteAllBytes(_dir.Combine("a.log"), [(byte)'x', 0xFF, (byte)'y', (byte)'\n']);
        Old(_dir.Combine("a.log"));
        var replaced = new TestPipeline();
        await using (await StartAsync(replaced, "decodeErrorPolicy=REPLACE", "deletePolicy=immediate"))
        {
            await Eventually.TrueAsync(() => !File.Exists(_dir.Combine("a.log")), "the file to be done");
        }
        File.WriteAllBytes(_dir.Combine("b.log"), [(byte)'x', 0xFF, (byte)'y', (byte)'\n']);
        Old(_dir.Combine("b.log"));
        var ignored = new TestPipeline();
        await using (await StartAsync(ignored, "decodeErrorPolicy=IGNORE", "deletePolicy=immediate"))
        {
            await Eventually.TrueAsync(() => !File.Exists(_dir.Combine("b.log")), "the file to be done");
        }

        Assert.Equal(["x\uFFFDy"], replaced.DrainBodies());
        Assert.Equal(["xy"], ignored.DrainBodies());
    }

    [Fact]
    public async Task Run_LineLongerThanMaxLineLength_Truncated()
    {
        Old(_dir.WriteLines("a.log", ["abcdefghij", "short", new string('z', 50_000), "end"]));
        var pipeline = new TestPipeline();

        await using (await StartAsync(pipeline, "deserializer.maxLineLength=5"))
        {
            await Eventually.TrueAsync(() => File.Exists(_dir.Combine("a.log.COMPLETED")), "the file to be done");
        }

        Collect(pipeline);
        Assert.Equal(["abcde", "short", "zzzzz", "end"], Bodies());
    }

    [Fact]
    public async Task Run_YoungestFirstAndRecursive_OrderAndSubdirectoriesHonoured()
    {
        Old(_dir.WriteLines("old.log", ["old"]), minutesAgo: 30);
        Old(_dir.WriteLines(Path.Combine("sub", "young.log"), ["young"]), minutesAgo: 1);
        Old(_dir.WriteLines("middle.log", ["middle"]), minutesAgo: 10);
        var pipeline = new TestPipeline();

        await using (await StartAsync(pipeline, "consumeOrder=youngest", "recursiveDirectorySearch=true", "trackingPolicy=tracker_dir"))
        {
            await Eventually.TrueAsync(() => File.Exists(_dir.Combine(".flumespool", "old.log.COMPLETED")), "the oldest file to be done");
        }

        Collect(pipeline);
        Assert.Equal(["young", "middle", "old"], Bodies());
        Assert.True(File.Exists(_dir.Combine(".flumespool", "sub", "young.log.COMPLETED")));
    }

    [Fact]
    public void Read_Defaults_AreFlumes()
    {
        var (context, problems) = TestPipeline.Context($"spoolDir={_dir.Path}");

        var settings = SpoolDirSourceSettings.Read(context);

        Assert.False(problems.HasErrors);
        Assert.Equal(".COMPLETED", settings.FileSuffix);
        Assert.False(settings.DeleteImmediately);
        Assert.Equal(SpoolTrackingPolicy.Rename, settings.TrackingPolicy);
        Assert.Equal(_dir.Combine(".flumespool"), settings.TrackerDir);
        Assert.Equal(SpoolConsumeOrder.Oldest, settings.ConsumeOrder);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.PollDelay);
        Assert.False(settings.RecursiveDirectorySearch);
        Assert.Equal(TimeSpan.FromMilliseconds(4000), settings.MaxBackoff);
        Assert.Equal(100, settings.BatchSize);
        Assert.Equal(SpoolDecodeErrorPolicy.Fail, settings.DecodeErrorPolicy);
        Assert.Null(settings.FileHeaderKey);
        Assert.Null(settings.BasenameHeaderKey);
        Assert.Equal(2048, settings.MaxLineLength);
        Assert.Matches(settings.IncludePattern, "anything");
        Assert.DoesNotMatch(settings.IgnorePattern, "anything");
    }

    [Fact]
    public void Read_BadValues_EachReportedWithItsKey()
    {
        var (context, problems) = TestPipeline.Context(
            "deletePolicy=sometimes", "trackingPolicy=memory", "consumeOrder=alphabetical", "includePattern=([",
            "decodeErrorPolicy=GUESS", "deserializer=AVRO", "inputCharset=nope", "fileSuffix=");

        SpoolDirSourceSettings.Read(context);

        var keys = problems.Errors.Select(p => p.Key["a1.sources.r1.".Length..]).ToList();
        Assert.Equal(
            ["consumeOrder", "decodeErrorPolicy", "deletePolicy", "deserializer", "fileSuffix", "includePattern", "inputCharset", "spoolDir", "trackingPolicy"],
            keys.Order(StringComparer.Ordinal));
    }

    private async Task<RunningSource> StartAsync(TestPipeline pipeline, params string[] properties)
    {
        string[] defaults = properties.Any(p => p.StartsWith("pollDelay=", StringComparison.Ordinal)) ? [] : ["pollDelay=50"];
        var (context, problems) = TestPipeline.Context([$"spoolDir={_dir.Path}", .. defaults, .. properties]);
        var settings = SpoolDirSourceSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        var source = new SpoolDirSource("r1", settings, pipeline.Processor, pipeline.Services);
        await source.StartAsync(CancellationToken.None);
        return new RunningSource(source);
    }

    private int Collect(TestPipeline pipeline)
    {
        _received.AddRange(pipeline.Drain());
        return _received.Count;
    }

    private List<string> Bodies() => [.. _received.Select(e => Encoding.UTF8.GetString(e.Body))];

    private static List<string> Lines(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(i => "line-" + i.ToString(CultureInfo.InvariantCulture))];

    private static void Old(string path, int minutesAgo = 5) =>
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-minutesAgo));

    private sealed class RunningSource(SpoolDirSource source) : IAsyncDisposable
    {
        public SpoolDirSource Source => source;

        public async ValueTask DisposeAsync() => await Eventually.Within(source.StopAsync(CancellationToken.None));
    }
}
