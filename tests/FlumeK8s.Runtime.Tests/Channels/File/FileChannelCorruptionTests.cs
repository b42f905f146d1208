using FlumeK8s.Runtime.Channels.File;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>One test per kind of damage to the log: each keeps every committed event it can and counts what it cannot.</summary>
public sealed class FileChannelCorruptionTests : IDisposable
{
    private const int RecordBodyOffset = 14; // length, checksum, header count (0), body length
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    [Theory]
    [InlineData(5)]     // inside the block header
    [InlineData(30)]    // inside the first record
    [InlineData(-1)]    // all but the last byte of the checksum
    public async Task Recover_TornLastBlock_KeepsEverythingCommittedBeforeIt(int cut)
    {
        var crashed = await CrashAfterPutsAsync("a", "b", "c");
        var last = LogSurgery.Blocks(crashed.LogPath(1))[^1];
        LogSurgery.Truncate(crashed.LogPath(1), cut >= 0 ? last.Offset + cut : last.Offset + last.Length + cut);

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings());

        Assert.Null(recovered.UnhealthyReason);
        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(["a", "b"], await DrainAsync(recovered));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recover_GarbageAfterLastBlock_KeepsEverythingAndIgnoresTheGarbage(bool startsLikeABlock)
    {
        var crashed = await CrashAfterPutsAsync("a", "b", "c");
        var garbage = Enumerable.Repeat((byte)0xAB, 100).ToArray();
        if (startsLikeABlock)
        {
            "FKB1"u8.CopyTo(garbage); // a block magic whose checksum cannot match
        }
        LogSurgery.Append(crashed.LogPath(1), garbage);

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings());

        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(["a", "b", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_TornTail_NewCommitsGoToANewFileAndSurviveTheNextCrash()
    {
        var crashed = await CrashAfterPutsAsync("a", "b", "c");
        var last = LogSurgery.Blocks(crashed.LogPath(1))[^1];
        LogSurgery.Truncate(crashed.LogPath(1), last.Offset + 7);
        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings());
        await PutAsync(recovered, "d");

        Assert.Equal(last.Offset + 7, new FileInfo(crashed.LogPath(1)).Length); // the torn file is never appended to
        var again = await _scope.OpenOnAsync(_scope.Crash(crashed), Fixture.Settings());
        Assert.Equal(["a", "b", "d"], await DrainAsync(again));
    }

    [Theory]
    [InlineData(0, 0)]     // the block magic: the header is gone, how many events is unknown
    [InlineData(4, 1)]     // the length field
    [InlineData(30, 1)]    // the event's body
    [InlineData(-1, 1)]    // the checksum
    public async Task Recover_CorruptBlockInTheMiddle_CountedAndLaterBlocksKept(int at, long lost)
    {
        var crashed = await CrashAfterPutsAsync("a", "b", "c");
        var middle = LogSurgery.Blocks(crashed.LogPath(1))[1];
        LogSurgery.FlipByte(crashed.LogPath(1), at >= 0 ? middle.Offset + at : middle.Offset + middle.Length + at);

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings());

        Assert.Null(recovered.UnhealthyReason);
        Assert.Equal(1, recovered.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(lost, recovered.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Equal(["a", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_CorruptTakeBlockInTheMiddle_TakenEventComesBackAtLeastOnce()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        await PutAsync(channel, "c");
        var crashed = _scope.Crash();
        var take = LogSurgery.Blocks(crashed.LogPath(1)).Single(b => b.Kind == BlockKind.Take);
        LogSurgery.FlipByte(crashed.LogPath(1), take.Offset + BlockHeader.Size);

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings());

        Assert.Equal(1, recovered.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Equal(["a", "b", "c"], await DrainAsync(recovered));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Take_CorruptRecordAfterRestart_DropsOnlyThatEvent(bool fsyncPerTransaction)
    {
        var settings = Fixture.Settings() with { FsyncPerTransaction = fsyncPerTransaction };
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "first", "second", "third");
        await PutAsync(channel, "fourth");
        await FileChannelScope.StopAsync(channel);
        var reopened = await _scope.OpenAsync(settings); // recovered events are not cached: takes read the log
        var put = LogSurgery.Blocks(Fixture.LogPath(1))[0];
        var second = LogSurgery.RecordOffsets(Fixture.LogPath(1), put.Offset)[1];
        LogSurgery.FlipByte(Fixture.LogPath(1), second + RecordBodyOffset);

        Assert.Equal(["first", "third", "fourth"], await DrainAsync(reopened));
        Assert.Equal(1, reopened.Counter.Get(FileChannelCounter.TakeErrors));
        Assert.Null(reopened.UnhealthyReason);
        await FileChannelScope.StopAsync(reopened);
        var afterwards = await _scope.OpenAsync(settings);
        Assert.Empty(await DrainAsync(afterwards)); // the unreadable event was taken with the rest, not retried forever
    }

    [Fact]
    public async Task Take_DataDirectoryDeletedUnderTheChannel_CountsEachUnreadableEventAndKeepsServing()
    {
        var settings = Fixture.Settings() with { CacheBytes = 0 };
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "first", "second");
        Directory.Delete(Fixture.DataDir, recursive: true);

        Assert.Empty(await TakeAsync(channel, 10)); // no DirectoryNotFoundException for the sink to retry forever
        Assert.Equal(2, channel.Counter.Get(FileChannelCounter.TakeErrors));
        Assert.Null(channel.UnhealthyReason);
        Assert.Empty(await TakeAsync(channel, 10));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Take_CorruptRecordWithColdCache_DropsOnlyThatEvent(bool fsyncPerTransaction)
    {
        var settings = Fixture.Settings() with { FsyncPerTransaction = fsyncPerTransaction, CacheBytes = 0 };
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "first", "second", "third");
        var activeLog = Fixture.LogPath(Fixture.LogIds()[^1]);
        var put = LogSurgery.Blocks(activeLog)[0];
        var third = LogSurgery.RecordOffsets(activeLog, put.Offset)[2];
        LogSurgery.FlipByte(activeLog, third + RecordBodyOffset);

        Assert.Equal(["first", "second"], await TakeAsync(channel, 10));
        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.TakeErrors));
        await PutAsync(channel, "fourth");
        Assert.Equal(["fourth"], await DrainAsync(channel));
    }

    [Fact]
    public async Task Recover_ExtraEmptyAndHeaderOnlyLogFiles_AreHarmless()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b");
        await FileChannelScope.StopAsync(channel);
        var last = Fixture.LogIds()[^1];
        System.IO.File.WriteAllBytes(Fixture.LogPath(last + 1), []);
        System.IO.File.WriteAllBytes(Fixture.LogPath(last + 2), LogFileHeader.Encode(last + 2, LogVersions.Written));
        System.IO.File.WriteAllBytes(Fixture.LogPath(last + 3), LogFileHeader.Encode(last + 3, LogVersions.Written)[..7]);

        var reopened = await _scope.OpenAsync();

        Assert.Null(reopened.UnhealthyReason);
        Assert.Equal(0, reopened.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(0, reopened.Counter.Get(FileChannelCounter.LostEvents));
        Assert.False(System.IO.File.Exists(Fixture.LogPath(last + 1)));
        // The debris shorter than a header is gone; its id is the next one, so it now holds the new active log.
        Assert.Null(LogFileHeader.Check(System.IO.File.ReadAllBytes(Fixture.LogPath(last + 3)), last + 3, out _));
        await PutAsync(reopened, "c");
        Assert.Equal(["a"], await TakeAsync(reopened, 1));
        await FileChannelScope.StopAsync(reopened);
        var again = await _scope.OpenAsync();
        Assert.Equal(["b", "c"], await DrainAsync(again));
    }

    [Fact]
    public async Task Recover_MissingLogFileInTheMiddle_CountsLostEventsAndKeepsTheRest()
    {
        var settings = BigEvents.Settings(Fixture);
        var channel = await _scope.OpenAsync(settings);
        var names = Names("e", 10);
        await BigEvents.PutEachAsync(channel, names);
        await FileChannelScope.StopAsync(channel);
        Assert.Equal([1, 2, 3, 4], Fixture.LogIds());
        System.IO.File.Delete(Fixture.LogPath(2));

        var reopened = await _scope.OpenAsync(settings);

        Assert.Null(reopened.UnhealthyReason);
        Assert.Equal(3, reopened.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Equal([.. names[..3], .. names[6..]], await BigEvents.DrainAsync(reopened));
        Assert.Equal(0, reopened.Counter.Get(FileChannelCounter.TakeErrors));
    }

    public void Dispose() => _scope.Dispose();

    /// <summary>One PUT block per body in log file 1, then a crash.</summary>
    private async Task<FileChannelFixture> CrashAfterPutsAsync(params string[] bodies)
    {
        var channel = await _scope.OpenAsync();
        await PutEachAsync(channel, bodies);
        var crashed = _scope.Crash();
        Assert.Equal(bodies.Length, LogSurgery.Blocks(crashed.LogPath(1)).Count);
        return crashed;
    }
}
