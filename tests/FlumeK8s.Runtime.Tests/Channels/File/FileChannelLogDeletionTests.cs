using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// Invariant I4 of the channel's README: a log file goes once every event in it is taken and a
/// checkpoint covers a later file, and never before. Ten big events fill files 1 to 4 (three a file).
/// </summary>
public sealed class FileChannelLogDeletionTests : IDisposable
{
    private readonly FileChannelScope _scope = new();
    private readonly string[] _names = Names("e", 10);

    private FileChannelFixture Fixture => _scope.Fixture;

    [Fact]
    public async Task Checkpoint_EveryEventOfTheOldestFilesTaken_DeletesExactlyThoseFiles()
    {
        var channel = await OpenFilledAsync();
        Assert.Equal(_names[..3], await BigEvents.TakeAsync(channel, 3));
        Assert.Equal([1, 2, 3, 4], Fixture.LogIds()); // taken, but no checkpoint covers the take yet

        await Eventually.Within(channel.CheckpointAsync());
        Assert.Equal([2, 3, 4], Fixture.LogIds());

        Assert.Equal(_names[3..7], await BigEvents.TakeAsync(channel, 4));
        await Eventually.Within(channel.CheckpointAsync());
        Assert.Equal([3, 4], Fixture.LogIds()); // file 3 still holds e7 and e8

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), BigEvents.Settings(Fixture));
        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Equal(_names[7..], await BigEvents.DrainAsync(recovered));
    }

    [Fact]
    public async Task Checkpoint_EventsOfAFileHeldByAnOpenTake_KeepsTheFile()
    {
        var channel = await OpenFilledAsync();
        using var take = BeginTake(channel, 3, out _);

        await Eventually.Within(channel.CheckpointAsync(force: true));
        Assert.Equal([1, 2, 3, 4], Fixture.LogIds());
        var crashedWithTakeOpen = _scope.Crash();

        await Eventually.Within(take.CommitAsync(CancellationToken.None).AsTask());
        await Eventually.Within(channel.CheckpointAsync());
        Assert.Equal([2, 3, 4], Fixture.LogIds());
        var recovered = await _scope.OpenOnAsync(crashedWithTakeOpen, BigEvents.Settings(Fixture));
        Assert.Equal(_names, await BigEvents.DrainAsync(recovered));
    }

    [Fact]
    public async Task Checkpoint_EverythingTaken_KeepsOnlyTheActiveFile()
    {
        var channel = await OpenFilledAsync();
        Assert.Equal(_names, await BigEvents.DrainAsync(channel));

        await Eventually.Within(channel.CheckpointAsync());

        Assert.Equal([4], Fixture.LogIds());
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), BigEvents.Settings(Fixture));
        Assert.Empty(await BigEvents.DrainAsync(recovered));
        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.LostEvents));
    }

    [Fact]
    public async Task Checkpoint_UnchangedChannel_DeletesNothingAndWritesNothing()
    {
        var channel = await OpenFilledAsync();
        await Eventually.Within(channel.CheckpointAsync(force: true));
        var checkpoint = System.IO.File.ReadAllBytes(Fixture.CheckpointPath);

        await Eventually.Within(channel.CheckpointAsync());

        Assert.Equal(checkpoint, System.IO.File.ReadAllBytes(Fixture.CheckpointPath));
        Assert.Equal([1, 2, 3, 4], Fixture.LogIds());
    }

    [Fact]
    public async Task Restart_AfterOldFilesWereDrained_DeletesThemAtStart()
    {
        var settings = BigEvents.Settings(Fixture) with { CheckpointOnClose = false };
        var channel = await _scope.OpenAsync(settings);
        await BigEvents.PutEachAsync(channel, _names);
        Assert.Equal(_names[..6], await BigEvents.TakeAsync(channel, 6));
        await FileChannelScope.StopAsync(channel);
        Assert.Equal([1, 2, 3, 4], Fixture.LogIds());

        var reopened = await _scope.OpenAsync(settings);

        Assert.Equal([3, 4, 5], Fixture.LogIds()); // replayed, checkpointed at once, and files 1 and 2 are no longer needed
        Assert.Equal(_names[6..], await BigEvents.DrainAsync(reopened));
    }

    [Fact]
    public async Task Checkpoint_WithDualCheckpoints_DeletesOnlyWhatBothCover()
    {
        var settings = BigEvents.Settings(Fixture) with { UseDualCheckpoints = true, BackupCheckpointDir = Fixture.BackupDir };
        var channel = await _scope.OpenAsync(settings);
        await BigEvents.PutEachAsync(channel, _names);
        Assert.Equal(_names[..3], await BigEvents.TakeAsync(channel, 3));

        await Eventually.Within(channel.CheckpointAsync());

        Assert.Equal([2, 3, 4], Fixture.LogIds());
        var crashed = _scope.Crash();
        System.IO.File.Delete(crashed.CheckpointPath);
        var fromBackup = await _scope.OpenOnAsync(crashed, settings);
        Assert.Equal(0, fromBackup.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Equal(_names[3..], await BigEvents.DrainAsync(fromBackup));
    }

    public void Dispose() => _scope.Dispose();

    private async Task<FileChannel> OpenFilledAsync()
    {
        var channel = await _scope.OpenAsync(BigEvents.Settings(Fixture));
        await BigEvents.PutEachAsync(channel, _names);
        Assert.Equal([1, 2, 3, 4], Fixture.LogIds());
        return channel;
    }
}
