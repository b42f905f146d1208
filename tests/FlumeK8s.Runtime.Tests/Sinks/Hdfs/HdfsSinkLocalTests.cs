using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Sinks.Hdfs.HdfsSinkHarness;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

public sealed class HdfsSinkLocalTests : IDisposable
{
    private readonly HdfsSinkHarness _h = new();

    public void Dispose() => _h.Dispose();

    private long Series => _h.Series;

    [Fact]
    public async Task ProcessAsync_ConstantPath_InUseFileThenFinishedOnStopWithCounters()
    {
        var sink = _h.NewSink("hdfs.rollCount=0", "hdfs.rollSize=0");
        await _h.PutTextAsync("alpha", "beta", "gamma");

        Assert.Equal(PollStatus.Ready, await ProcessAsync(sink));

        Assert.Equal([$"FlumeData.{Series + 1}.tmp"], _h.Files());
        Assert.Equal("alpha\nbeta\ngamma\n", _h.Read($"FlumeData.{Series + 1}.tmp"));
        await StopAsync(sink);
        Assert.Equal([$"FlumeData.{Series + 1}"], _h.Files());
        Assert.Equal(1, sink.Counter.Get("ConnectionCreatedCount"));
        Assert.Equal(1, sink.Counter.Get("ConnectionClosedCount"));
        Assert.Equal(3, sink.Counter.Get("EventDrainAttemptCount"));
        Assert.Equal(3, sink.Counter.Get("EventDrainSuccessCount"));
        Assert.Equal(1, sink.Counter.Get("BatchUnderflowCount"));
        Assert.Equal(0, _h.Channel.Counter.Size);
    }

    [Fact]
    public async Task ProcessAsync_FourBatchesInFlight_EveryEventOnceAsAWholeLineInChannelOrder()
    {
        var sink = _h.NewSink("hdfs.rollCount=250", "hdfs.rollSize=0", "hdfs.batchSize=50");
        var bodies = Enumerable.Range(0, 1000).Select(i => $"event-{i}").ToList();
        await _h.PutTextAsync([.. bodies]);

        await ConcurrentDrain.RunAsync(sink, 4);
        await StopAsync(sink);

        var lines = _h.Files().SelectMany(f => _h.Read(f).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(bodies, lines);
        Assert.Equal(4, _h.Files().Length);
    }

    [Fact]
    public async Task ProcessAsync_EmptyChannel_BackoffNoFileBatchEmptyCounted()
    {
        var sink = _h.NewSink();

        Assert.Equal(PollStatus.Backoff, await ProcessAsync(sink));

        Assert.Empty(_h.Files());
        Assert.Equal(1, sink.Counter.Get("BatchEmptyCount"));
    }

    [Fact]
    public async Task ProcessAsync_FullBatch_BatchCompleteCounted()
    {
        var sink = _h.NewSink("hdfs.batchSize=2");
        await _h.PutTextAsync("a", "b", "c");

        await ProcessAsync(sink);
        await ProcessAsync(sink);

        Assert.Equal(1, sink.Counter.Get("BatchCompleteCount"));
        Assert.Equal(1, sink.Counter.Get("BatchUnderflowCount"));
    }

    [Fact]
    public async Task ProcessAsync_HeaderEscape_EachValueItsOwnBucket()
    {
        var sink = _h.NewSink($"hdfs.path={_h.Out}/%{{app}}", "hdfs.filePrefix=%{app}-log");
        await _h.PutAsync(
            Event.FromText("b1", new() { ["app"] = "billing" }),
            Event.FromText("s1", new() { ["app"] = "search" }),
            Event.FromText("b2", new() { ["app"] = "billing" }));

        await ProcessAsync(sink);
        await StopAsync(sink);

        Assert.Equal([$"billing/billing-log.{Series + 1}", $"search/search-log.{Series + 1}"], _h.Files());
        Assert.Equal("b1\nb2\n", _h.Read($"billing/billing-log.{Series + 1}"));
        Assert.Equal("s1\n", _h.Read($"search/search-log.{Series + 1}"));
    }

    [Fact]
    public async Task ProcessAsync_TimeEscapesWithRoundAndZone_BucketOfEachTimestamp()
    {
        var sink = _h.NewSink($"hdfs.path={_h.Out}/%Y%m%d/%H%M", "hdfs.round=true", "hdfs.roundValue=10", "hdfs.roundUnit=minute", "hdfs.timeZone=America/Los_Angeles");
        var t = new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero); // 06:05 in Los Angeles
        await _h.PutAsync(At("first", t), At("same bucket", t.AddMinutes(4)), At("next bucket", t.AddMinutes(5)));

        await ProcessAsync(sink);
        await StopAsync(sink);

        Assert.Equal([$"20260307/0600/FlumeData.{Series + 1}", $"20260307/0610/FlumeData.{Series + 1}"], _h.Files());
        Assert.Equal("first\nsame bucket\n", _h.Read($"20260307/0600/FlumeData.{Series + 1}"));
    }

    [Fact]
    public async Task ProcessAsync_UseLocalTimeStamp_ClockPicksTheBucket()
    {
        var sink = _h.NewSink($"hdfs.path={_h.Out}/%H-%M-%S", "hdfs.useLocalTimeStamp=true", "hdfs.timeZone=UTC");
        await _h.PutTextAsync("now");
        await ProcessAsync(sink);
        _h.Clock.Advance(TimeSpan.FromSeconds(61));
        await _h.PutTextAsync("later");
        await ProcessAsync(sink);
        await StopAsync(sink);

        Assert.Equal([$"14-05-09/FlumeData.{Series + 1}", $"14-06-10/FlumeData.{Series + 61_000 + 1}"], _h.Files());
    }

    [Fact]
    public async Task ProcessAsync_MissingTimestampWithTimeEscapes_BatchRolledBackCountedNothingWritten()
    {
        var sink = _h.NewSink($"hdfs.path={_h.Out}/%Y");
        await _h.PutAsync(At("has time", Start), Event.FromText("no time"));

        var error = await Assert.ThrowsAsync<SinkDeliveryException>(() => sink.ProcessAsync(CancellationToken.None).AsTask().WaitAsync(Eventually.DefaultTimeout));

        Assert.Contains("no 'timestamp' header", error.Message);
        Assert.Contains("hdfs.useLocalTimeStamp", error.Message);
        Assert.Equal(2, _h.Channel.Counter.Size);
        Assert.Equal(1, sink.Counter.Get("EventWriteFail"));
        Assert.Equal(0, sink.Counter.Get("EventDrainSuccessCount"));
        Assert.Empty(_h.Files());
    }

    [Fact]
    public async Task ProcessAsync_RollCount_FilesOfThatManyEventsFullOnesFinished()
    {
        var sink = _h.NewSink("hdfs.rollCount=2", "hdfs.rollSize=0");
        await _h.PutTextAsync("1", "2", "3", "4", "5");

        await ProcessAsync(sink);

        Assert.Equal([$"FlumeData.{Series + 1}", $"FlumeData.{Series + 2}", $"FlumeData.{Series + 3}.tmp"], _h.Files());
        Assert.Equal("1\n2\n", _h.Read($"FlumeData.{Series + 1}"));
        Assert.Equal("3\n4\n", _h.Read($"FlumeData.{Series + 2}"));
        Assert.Equal("5\n", _h.Read($"FlumeData.{Series + 3}.tmp"));
        Assert.Equal(2, sink.Counter.Get("ConnectionClosedCount"));
    }

    [Fact]
    public async Task ProcessAsync_RollSize_RollsOnceBodyBytesReachTheSize()
    {
        var sink = _h.NewSink("hdfs.rollCount=0", "hdfs.rollSize=10");
        await _h.PutTextAsync("aaaa", "bbbb", "cccc", "dddd");

        await ProcessAsync(sink);

        Assert.Equal([$"FlumeData.{Series + 1}", $"FlumeData.{Series + 2}.tmp"], _h.Files());
        Assert.Equal("aaaa\nbbbb\ncccc\n", _h.Read($"FlumeData.{Series + 1}"));
    }

    [Fact]
    public async Task RollInterval_ClockPasses_FileFinishedAndNextBatchOpensAnother()
    {
        var sink = _h.NewSink("hdfs.rollInterval=30", "hdfs.rollCount=0", "hdfs.rollSize=0");
        await _h.PutTextAsync("one");
        await ProcessAsync(sink);
        _h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal([$"FlumeData.{Series + 1}.tmp"], _h.Files());

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _h.Files().SequenceEqual([$"FlumeData.{Series + 1}"]), "the interval roll");
        await _h.PutTextAsync("two");
        await ProcessAsync(sink);

        Assert.Equal([$"FlumeData.{Series + 1}", $"FlumeData.{Series + 2}.tmp"], _h.Files());
        Assert.DoesNotContain(await Eventually.Within(sink.OpenFilesAsync(CancellationToken.None)), f => f.Contains($"{Series + 1}.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdleTimeout_NoEventsForThatLong_FileFinished()
    {
        var sink = _h.NewSink("hdfs.idleTimeout=5", "hdfs.rollInterval=0", "hdfs.rollCount=0", "hdfs.rollSize=0");
        await _h.PutTextAsync("one");
        await ProcessAsync(sink);
        _h.Clock.Advance(TimeSpan.FromSeconds(4));
        await _h.PutTextAsync("two");
        await ProcessAsync(sink);
        _h.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(await Eventually.Within(sink.OpenFilesAsync(CancellationToken.None)));

        _h.Clock.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => _h.Files().SequenceEqual([$"FlumeData.{Series + 1}"]), "the idle close");
        Assert.Equal("one\ntwo\n", _h.Read($"FlumeData.{Series + 1}"));
        Assert.Empty(await Eventually.Within(sink.OpenFilesAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task ProcessAsync_InUsePrefixSuffixAndFileSuffix_NamedWhileWrittenAndRenamed()
    {
        var sink = _h.NewSink("hdfs.inUsePrefix=_", "hdfs.inUseSuffix=.writing", "hdfs.fileSuffix=.log", "hdfs.filePrefix=events");
        await _h.PutTextAsync("x");

        await ProcessAsync(sink);
        Assert.Equal([$"_events.{Series + 1}.log.writing"], _h.Files());
        await StopAsync(sink);

        Assert.Equal([$"events.{Series + 1}.log"], _h.Files());
    }

    [Fact]
    public async Task ProcessAsync_MaxOpenFiles_OldestBucketClosed()
    {
        var sink = _h.NewSink($"hdfs.path={_h.Out}/%{{k}}", "hdfs.maxOpenFiles=2");
        await _h.PutAsync(Event.FromText("a", new() { ["k"] = "a" }), Event.FromText("b", new() { ["k"] = "b" }));
        await ProcessAsync(sink);
        await _h.PutAsync(Event.FromText("a2", new() { ["k"] = "a" }), Event.FromText("c", new() { ["k"] = "c" }));

        await ProcessAsync(sink);

        // "a" was used after "b", so "b" is the eldest when "c" arrives.
        Assert.Equal([$"a/FlumeData.{Series + 1}.tmp", $"b/FlumeData.{Series + 1}", $"c/FlumeData.{Series + 1}.tmp"], _h.Files());
        Assert.Equal(2, (await Eventually.Within(sink.OpenFilesAsync(CancellationToken.None))).Count);
    }

    [Fact]
    public async Task ProcessAsync_HeaderAndTextSerializer_FlumeMapFormat()
    {
        var sink = _h.NewSink("serializer=header_and_text");
        await _h.PutAsync(Event.FromText("body", new() { ["k"] = "v", ["n"] = "1" }));

        await ProcessAsync(sink);
        await StopAsync(sink);

        Assert.Equal("{k=v, n=1} body\n", _h.Read($"FlumeData.{Series + 1}"));
    }

    [Fact]
    public async Task StartAsync_InUseFilesLeftByACrash_RenamedUnderFixedPrefixAndOnFirstWrite()
    {
        var old = Path.Combine(_h.Out, "2025", "12");
        Directory.CreateDirectory(old);
        await File.WriteAllTextAsync(Path.Combine(old, "FlumeData.111.tmp"), "left by a crash\n");
        await File.WriteAllTextAsync(Path.Combine(old, "Other.222.tmp"), "not ours\n");
        var current = Path.Combine(_h.Out, "2026", "03");
        Directory.CreateDirectory(current);
        await File.WriteAllTextAsync(Path.Combine(current, "FlumeData.333.tmp"), "also left\n");
        var sink = _h.NewSink($"hdfs.path={_h.Out}/%Y/%m", "hdfs.timeZone=UTC");

        await Eventually.Within(sink.StartAsync(CancellationToken.None));
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(old, "FlumeData.111")), "the start-up recovery");
        await _h.PutAsync(At("new", Start));
        await ProcessAsync(sink);
        await StopAsync(sink);

        Assert.Equal(["2025/12/FlumeData.111", "2025/12/Other.222.tmp", $"2026/03/FlumeData.{Series + 1}", "2026/03/FlumeData.333"], _h.Files());
        Assert.Equal("left by a crash\n", _h.Read("2025/12/FlumeData.111"));
    }

    [Fact]
    public async Task NewSink_AfterOneLeftItsFileInUse_RecoversItAndLosesNothing()
    {
        var first = _h.NewSink("hdfs.rollCount=0", "hdfs.rollSize=0");
        await _h.PutTextAsync("committed 1", "committed 2");
        await ProcessAsync(first);
        // No StopAsync: the process "died" with the file in use.
        Assert.Equal([$"FlumeData.{Series + 1}.tmp"], _h.Files());

        var second = _h.NewSink("hdfs.rollCount=0", "hdfs.rollSize=0");
        await Eventually.Within(second.StartAsync(CancellationToken.None));
        await Eventually.TrueAsync(() => _h.Files().SequenceEqual([$"FlumeData.{Series + 1}"]), "the recovery");
        _h.Clock.Advance(TimeSpan.FromMilliseconds(5));
        await _h.PutTextAsync("after restart");
        await ProcessAsync(second);
        await StopAsync(second);

        Assert.Equal("committed 1\ncommitted 2\n", _h.Read($"FlumeData.{Series + 1}"));
        Assert.Equal("after restart\n", _h.Read($"FlumeData.{Series + 5 + 1}"));
    }

    [Fact]
    public async Task ProcessAsync_DirectoryRemovedUnderTheFile_RolledBackThenRedeliveredToANewFile()
    {
        var sink = _h.NewSink("hdfs.rollCount=0", "hdfs.rollSize=0");
        await _h.PutTextAsync("one");
        await ProcessAsync(sink);
        Directory.Delete(_h.Out, recursive: true);
        await _h.PutTextAsync("two");

        await Assert.ThrowsAsync<IOException>(() => sink.ProcessAsync(CancellationToken.None).AsTask().WaitAsync(Eventually.DefaultTimeout));
        Assert.Equal(1, _h.Channel.Counter.Size);

        await ProcessAsync(sink);
        await StopAsync(sink);
        Assert.Equal([$"FlumeData.{Series + 2}"], _h.Files());
        Assert.Equal("two\n", _h.Read($"FlumeData.{Series + 2}"));
    }
}
