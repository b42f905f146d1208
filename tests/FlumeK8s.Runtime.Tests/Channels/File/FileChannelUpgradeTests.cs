using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Events;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// Files written by another log format version: the golden version-1 directory replays; a version
/// with a registered reader is read by that reader; a version nobody reads stops the start and
/// keeps every file.
/// </summary>
public sealed class FileChannelUpgradeTests : IDisposable
{
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task Recover_GoldenVersion1Directory_EverySurvivorInOrderWithHeadersNothingLost()
    {
        GoldenLogV1.CopyInto(Fixture);
        var logs = new RecordingLoggerFactory();

        var channel = await _scope.OpenAsync(logs: logs);

        Assert.Null(channel.UnhealthyReason);
        Assert.Equal(0, channel.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Equal(0, channel.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.True(logs.Contains("recovered 35 events (main, 2 log files)"), string.Join('\n', logs.Lines)); // from the golden checkpoint
        Assert.Equal(GoldenLogV1.Survivors.Select(GoldenLogV1.Describe),
            (await DrainEventsAsync(channel, batch: 7)).Select(GoldenLogV1.Describe));
    }

    [Fact]
    public async Task Recover_GoldenVersion1Directory_NewFilesAreWrittenInTheWrittenVersionAndOldOnesDeletedOnceDrained()
    {
        GoldenLogV1.CopyInto(Fixture);
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "after the upgrade");

        Assert.Equal(GoldenLogV1.Survivors.Select(GoldenLogV1.Describe).Append("|after the upgrade"),
            (await DrainEventsAsync(channel, batch: 7)).Select(GoldenLogV1.Describe));
        await channel.CheckpointAsync(force: true);
        await FileChannelScope.StopAsync(channel);

        var newest = Fixture.LogIds()[^1];
        Assert.DoesNotContain(1, Fixture.LogIds());
        Assert.DoesNotContain(2, Fixture.LogIds());
        Assert.Null(LogFileHeader.Check(System.IO.File.ReadAllBytes(Fixture.LogPath(newest)), newest, out var version));
        Assert.Equal(LogVersions.Written, version);
    }

    // The golden files are version 1, and version 1 is still what is written: the same steps must
    // give the same bytes, or the writer changed the format without a new version. When a new
    // version is written, this fails on purpose: that version gets its own golden directory.
    [Fact]
    public async Task Write_TheGoldenSteps_GiveTheGoldenBytesWhileVersion1IsWritten()
    {
        Assert.Equal(1u, LogVersions.Written);

        var written = await GoldenLogV1.WriteAsync(_scope);

        var golden = GoldenLogV1.Directory();
        Assert.Equal(System.IO.File.ReadAllBytes(Path.Combine(golden, "checkpoint", "checkpoint")), System.IO.File.ReadAllBytes(written.CheckpointPath));
        Assert.Equal(["log-1", "log-2"], written.LogFiles.Select(Path.GetFileName));
        foreach (var log in written.LogFiles)
        {
            Assert.Equal(System.IO.File.ReadAllBytes(Path.Combine(golden, "data", Path.GetFileName(log))), System.IO.File.ReadAllBytes(log));
        }
    }

    [Fact]
    public async Task Recover_LogInAVersionNobodyReads_StartFailsNamingFileVersionAndSupportedFilesUntouched()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b");
        await FileChannelScope.StopAsync(channel);
        var path = Fixture.LogPath(1);
        LogSurgery.RewriteLogHeader(path, 1, version: 7);
        var before = Fixture.LogFiles.ToDictionary(f => f, System.IO.File.ReadAllBytes);

        var refused = await _scope.OpenAsync();

        Assert.NotNull(refused.UnhealthyReason);
        Assert.Contains(path, refused.UnhealthyReason);
        Assert.Contains("format version 7", refused.UnhealthyReason);
        Assert.Contains($"reads log format versions {LogVersions.Supported.Names}", refused.UnhealthyReason);
        Assert.Throws<ChannelException>(() => refused.BeginTransaction());
        await FileChannelScope.StopAsync(refused);
        Assert.Equal(before.Keys, Fixture.LogFiles);
        Assert.All(before, f => Assert.Equal(f.Value, System.IO.File.ReadAllBytes(f.Key)));

        // An agent that reads the file again (here: the header put back) finds every event.
        LogSurgery.RewriteLogHeader(path, 1);
        var reopened = await _scope.OpenAsync();
        Assert.Equal(["a", "b"], await DrainAsync(reopened));
    }

    [Fact]
    public async Task Recover_FilesOfTwoVersions_EachReadByTheReaderOfItsVersion()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "in version 1");
        await FileChannelScope.StopAsync(channel);
        channel = await _scope.OpenAsync();
        await PutAsync(channel, "in version 2", "also in version 2");
        await FileChannelScope.StopAsync(channel);
        var second = Fixture.LogIds()[1];
        LogSurgery.RewriteLogHeader(Fixture.LogPath(second), second, version: 2);
        System.IO.File.Delete(Fixture.CheckpointPath); // so the blocks are replayed, not only the checkpoint's queue
        var version2 = new CountingReader(version: 2);

        var reopened = await _scope.StartAsync(
            new FileChannel("c1", Fixture.Settings(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, null,
                new LogVersions(LogVersion1Reader.Instance, version2)));

        Assert.Null(reopened.UnhealthyReason);
        Assert.Equal(["in version 1", "in version 2", "also in version 2"], await DrainAsync(reopened));
        Assert.Equal(1, version2.BlocksDecoded); // the put block of file 2; file 1's went to the version-1 reader
        Assert.Equal(2, version2.RecordsRead);   // its two events, read back at take time
    }

    [Fact]
    public void Supported_TheWrittenVersionHasAReader()
    {
        Assert.Same(LogVersion1Reader.Instance, LogVersions.Supported.For(LogVersions.Written));
        Assert.Null(LogVersions.Supported.For(LogVersions.Written + 1));
        Assert.Throws<ArgumentException>(() => new LogVersions(new CountingReader(version: LogVersions.Written + 1)));
    }

    /// <summary>A reader of a made-up later version whose files happen to be laid out as version 1's; counts what it reads.</summary>
    private sealed class CountingReader(uint version) : ILogVersionReader
    {
        private static readonly LogVersion1Reader Layout = LogVersion1Reader.Instance;

        public int BlocksDecoded { get; private set; }

        public int RecordsRead { get; private set; }

        public uint Version => version;

        public int MinimumBlockLength => Layout.MinimumBlockLength;

        public string? ReadBlock(IReadFile file, long offset, long fileLength, ref byte[] buffer, out int length) =>
            Layout.ReadBlock(file, offset, fileLength, ref buffer, out length);

        public bool MayStartBlock(ReadOnlySpan<byte> data) => Layout.MayStartBlock(data);

        public int PutEventsIn(IReadFile file, long offset, long length) => Layout.PutEventsIn(file, offset, length);

        public BlockKind Decode(ReadOnlySpan<byte> block, long blockPosition, List<long> pointers)
        {
            BlocksDecoded++;
            return Layout.Decode(block, blockPosition, pointers);
        }

        public int RecordLengthAt(ReadOnlySpan<byte> data) => Layout.RecordLengthAt(data);

        public Event? ReadRecord(ReadOnlySpan<byte> record, out string? error)
        {
            RecordsRead++;
            return Layout.ReadRecord(record, out error);
        }
    }
}
