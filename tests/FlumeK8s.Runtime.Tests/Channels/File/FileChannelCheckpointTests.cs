using System.Buffers.Binary;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// One test per way a checkpoint can be unusable: each is reported, the backup is tried, and a full
/// replay of the log still rebuilds exactly what was committed. Each starts from the same crash:
/// put a b c, take a, checkpoint, put d, take b — so the answer is always [c, d].
/// </summary>
public sealed class FileChannelCheckpointTests : IDisposable
{
    private static readonly string[] Expected = ["c", "d"];
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    [Fact]
    public async Task Recover_MissingCheckpoint_ReplaysEveryLog()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        System.IO.File.Delete(crashed.CheckpointPath);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings(), logs: logs);

        Assert.True(logs.Contains("full replay"), string.Join('\n', logs.Lines));
        Assert.Equal(Expected, await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_MissingCheckpointWithGoodBackup_RestoresBackupWithoutFullReplay()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.DualSettings());
        System.IO.File.Delete(crashed.CheckpointPath);
        DamageTakeBlockCoveredByCheckpoint(crashed);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.DualSettings(), logs: logs);

        Assert.True(logs.Contains("(backup,"), string.Join('\n', logs.Lines));
        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.CorruptBlocks)); // the damaged block was never read
        Assert.Equal(Expected, await DrainAsync(recovered));
        Assert.True(System.IO.File.Exists(crashed.CheckpointPath), "recovery writes a fresh main checkpoint");
    }

    [Fact]
    public async Task Recover_BadCheckpointAndBadBackup_ReplaysEveryLog()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.DualSettings());
        LogSurgery.Truncate(crashed.CheckpointPath, 10);
        LogSurgery.FlipByte(crashed.BackupCheckpointPath, LogSurgery.CheckpointPointersOffset);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.DualSettings(), logs: logs);

        Assert.True(logs.Contains("main checkpoint"), string.Join('\n', logs.Lines));
        Assert.True(logs.Contains("backup checkpoint"), string.Join('\n', logs.Lines));
        Assert.True(logs.Contains("full replay"), string.Join('\n', logs.Lines));
        Assert.Equal(Expected, await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_BadCheckpointVersion_ReportedAndReplaysEveryLog()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        LogSurgery.EditCheckpoint(crashed.CheckpointPath,
            bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(LogSurgery.CheckpointVersionOffset), 2), fixChecksum: true);

        await AssertFullReplayAsync(crashed, "checkpoint version 2 is not supported");
    }

    [Fact]
    public async Task Recover_CheckpointWithoutCompletionMarker_ReportedAsIncompleteAndReplaysEveryLog()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        LogSurgery.EditCheckpoint(crashed.CheckpointPath, bytes => bytes.AsSpan(bytes.Length - 4).Clear(), fixChecksum: false);

        await AssertFullReplayAsync(crashed, "incomplete");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(-8)]
    [InlineData(-1)]
    public async Task Recover_TruncatedCheckpoint_ReportedAndReplaysEveryLog(int keep)
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        var length = new FileInfo(crashed.CheckpointPath).Length;
        LogSurgery.Truncate(crashed.CheckpointPath, keep >= 0 ? keep : length + keep);

        await AssertFullReplayAsync(crashed, "main checkpoint");
    }

    [Fact]
    public async Task Recover_CheckpointChecksumMismatch_ReportedAndReplaysEveryLog()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        LogSurgery.FlipByte(crashed.CheckpointPath, LogSurgery.CheckpointPointersOffset);

        await AssertFullReplayAsync(crashed, "checksum mismatch");
    }

    [Fact]
    public async Task Recover_CheckpointBeyondTheEndOfItsLogFile_ReportedAndReplaysEveryLog()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        // The log lost its tail under the checkpoint (a file restored from an older copy): the
        // checkpoint describes blocks that are not there, so it cannot be trusted.
        var position = LogSurgery.CheckpointPosition(crashed.CheckpointPath);
        var blocks = LogSurgery.Blocks(crashed.LogPath(1));
        var keep = blocks.Last(b => b.Offset + b.Length < LogFormat.OffsetOf(position));
        LogSurgery.Truncate(crashed.LogPath(1), keep.Offset + keep.Length);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings(), logs: logs);

        Assert.True(logs.Contains("covers more of log file 1 than the file holds"), string.Join('\n', logs.Lines));
        Assert.True(logs.Contains("full replay"), string.Join('\n', logs.Lines));
        Assert.Equal(["a", "b", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_CheckpointNamingALogWithAnotherId_ReportedAndThatLogIsNotTrusted()
    {
        var settings = Fixture.Settings();
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "a", "b", "c");
        await FileChannelScope.StopAsync(channel);
        var second = await _scope.OpenAsync(settings);
        Assert.Equal(["a"], await TakeAsync(second, 1));
        await PutAsync(second, "d");
        var crashed = _scope.Crash();
        Assert.Equal(2, LogFormat.FileOf(LogSurgery.CheckpointPosition(crashed.CheckpointPath)));
        // File 2 replaced by a log of another id: neither the checkpoint naming it nor its blocks can be trusted.
        LogSurgery.RewriteLogHeader(crashed.LogPath(2), 9);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, settings, logs: logs);

        Assert.Null(recovered.UnhealthyReason);
        Assert.True(logs.Contains("log file 2 does not match it (header says file 9)"), string.Join('\n', logs.Lines));
        Assert.True(logs.Contains("log file 2 is unusable"), string.Join('\n', logs.Lines));
        Assert.Equal(["a", "b", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_CheckpointNamingAMissingLog_ReportedAndReplaysEveryLog()
    {
        var settings = Fixture.Settings();
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "a", "b");
        var crashed = _scope.Crash();
        LogSurgery.EditCheckpoint(crashed.CheckpointPath,
            bytes => BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), LogFormat.Position(7, LogFileHeader.Size)), fixChecksum: true);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, settings, logs: logs);

        Assert.True(logs.Contains("file 7, which does not exist"), string.Join('\n', logs.Lines));
        Assert.Equal(["a", "b"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Recover_LeftoverTemporaryCheckpoint_IsIgnored()
    {
        var crashed = await CrashAfterCheckpointAsync(Fixture.Settings());
        System.IO.File.WriteAllBytes(Path.Combine(crashed.CheckpointDir, "checkpoint.tmp"), [1, 2, 3, 4, 5]);
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings(), logs: logs);

        Assert.True(logs.Contains("(main,"), string.Join('\n', logs.Lines));
        Assert.Equal(Expected, await DrainAsync(recovered));
    }

    [Fact]
    public async Task Checkpoint_WriteFails_CountedChannelStaysHealthyAndOldCheckpointStays()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        await PutAsync(channel, "a", "b");
        var before = System.IO.File.ReadAllBytes(Fixture.CheckpointPath);
        storage.RefuseFilesIn(Fixture.CheckpointDir);

        await Eventually.Within(channel.CheckpointAsync(force: true));

        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.CheckpointErrors));
        Assert.Null(channel.UnhealthyReason);
        Assert.Equal(before, System.IO.File.ReadAllBytes(Fixture.CheckpointPath));
        await PutAsync(channel, "c");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());
        Assert.Equal(["b", "c"], await DrainAsync(recovered));
        storage.RefuseFilesIn(null);
        await Eventually.Within(channel.CheckpointAsync(force: true));
        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.CheckpointErrors));
        Assert.NotEqual(before, System.IO.File.ReadAllBytes(Fixture.CheckpointPath));
    }

    [Fact]
    public async Task Checkpoint_PeriodicAfterAFailedWrite_RetriedAtTheNextInterval()
    {
        var storage = new FaultyStorage();
        var time = new ManualTimeProvider();
        var settings = Fixture.Settings();
        var channel = await Fixture.OpenAsync(settings, storage, time);
        try
        {
            await PutAsync(channel, "a");
            storage.RefuseFilesIn(Fixture.CheckpointDir);
            time.Advance(settings.CheckpointIntervalOrDefault);
            await Eventually.TrueAsync(() => channel.Counter.Get(FileChannelCounter.CheckpointErrors) == 1, "the periodic checkpoint to fail");
            storage.RefuseFilesIn(null);

            // Nothing changed since the failed attempt, but the change it failed to record is still unrecorded.
            time.Advance(settings.CheckpointIntervalOrDefault);

            await Eventually.TrueAsync(() => LogFormat.OffsetOf(LogSurgery.CheckpointPosition(Fixture.CheckpointPath)) > LogFileHeader.Size,
                "a checkpoint covering the put");
        }
        finally
        {
            await FileChannelScope.StopAsync(channel);
        }
    }

    [Fact]
    public async Task Checkpoint_BackupWriteFails_CountedSeparatelyAndMainStillWritten()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.DualSettings(), storage);
        await PutAsync(channel, "a", "b");
        var mainBefore = System.IO.File.ReadAllBytes(Fixture.CheckpointPath);
        storage.RefuseFilesIn(Fixture.BackupDir);

        await Eventually.Within(channel.CheckpointAsync(force: true));

        Assert.Equal(0, channel.Counter.Get(FileChannelCounter.CheckpointErrors));
        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.CheckpointBackupErrors));
        Assert.Null(channel.UnhealthyReason);
        Assert.NotEqual(mainBefore, System.IO.File.ReadAllBytes(Fixture.CheckpointPath));
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.DualSettings());
        Assert.Equal(["a", "b"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task CheckpointAsync_AfterStop_DoesNotTouchTheDirectoryAgain()
    {
        var first = await _scope.OpenAsync();
        await PutAsync(first, "a");
        await FileChannelScope.StopAsync(first);
        var second = await _scope.OpenAsync();
        await PutAsync(second, "b");
        await Eventually.Within(second.CheckpointAsync(force: true));
        var owned = System.IO.File.ReadAllBytes(Fixture.CheckpointPath);

        // A late periodic checkpoint of the closed channel must not write over its successor's.
        await Eventually.Within(first.CheckpointAsync(force: true));

        Assert.Equal(owned, System.IO.File.ReadAllBytes(Fixture.CheckpointPath));
        Assert.Equal(["a", "b"], await DrainAsync(second));
    }

    public void Dispose() => _scope.Dispose();

    private async Task<FileChannelFixture> CrashAfterCheckpointAsync(FileChannelSettings settings)
    {
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "a", "b", "c");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        await Eventually.Within(channel.CheckpointAsync(force: true));
        await PutAsync(channel, "d");
        Assert.Equal(["b"], await TakeAsync(channel, 1));
        return _scope.Crash();
    }

    // A replay that reads the TAKE(a) block covered by the checkpoint finds it corrupt (later blocks
    // follow it in the file) and counts it; a replay from the checkpoint never reads it.
    private static void DamageTakeBlockCoveredByCheckpoint(FileChannelFixture crashed)
    {
        var takeA = LogSurgery.Blocks(crashed.LogPath(1)).First(b => b.Kind == BlockKind.Take);
        LogSurgery.FlipByte(crashed.LogPath(1), takeA.Offset + BlockHeader.Size);
    }

    private async Task AssertFullReplayAsync(FileChannelFixture crashed, string problem)
    {
        var logs = new RecordingLoggerFactory();

        var recovered = await _scope.OpenOnAsync(crashed, Fixture.Settings(), logs: logs);

        Assert.Null(recovered.UnhealthyReason);
        Assert.True(logs.Contains(problem), string.Join('\n', logs.Lines));
        Assert.True(logs.Contains("full replay"), string.Join('\n', logs.Lines));
        Assert.Equal(Expected, await DrainAsync(recovered));
    }
}
