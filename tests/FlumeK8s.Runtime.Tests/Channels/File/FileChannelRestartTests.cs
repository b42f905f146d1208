using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// What survives a close or a crash: committed work exactly, uncommitted work never (or, for takes,
/// back in order). A crash is a copy of the directories taken while the channel is live.
/// </summary>
public sealed class FileChannelRestartTests : IDisposable
{
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    [Fact]
    public async Task Reopen_CommittedPuts_SurviveInOrderWithHeaders()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b");
        using (var put = channel.BeginTransaction())
        {
            put.Put(new Event([0, 255, 7], new Dictionary<string, string> { ["host"] = "n1", ["empty"] = "" }));
            await Eventually.Within(put.CommitAsync(CancellationToken.None).AsTask());
        }
        await FileChannelScope.StopAsync(channel);

        var reopened = await _scope.OpenAsync();
        Assert.Null(reopened.UnhealthyReason);
        Assert.Equal(3, reopened.Counter.Size);
        using var take = reopened.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, 10);
        Assert.Equal(["a", "b"], Bodies(events.Take(2)));
        Assert.Equal([0, 255, 7], events[2].Body);
        Assert.Equal("n1", events[2].GetHeader("host"));
        Assert.Equal("", events[2].GetHeader("empty"));
    }

    [Fact]
    public async Task Crash_AfterCommitReturned_PutSurvives()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a");
        await PutAsync(channel, "b", "c");

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());

        Assert.Equal(["a", "b", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Crash_AfterTakeCommitReturned_TakenEventsStayGone()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b", "c");
        Assert.Equal(["a", "b"], await TakeAsync(channel, 2));

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());

        Assert.Equal(["c"], await DrainAsync(recovered));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restart_UncommittedTake_ComesBackInOrder(bool crash)
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "1", "2", "3", "4", "5");
        using var take = BeginTake(channel, 2, out var taken);
        Assert.Equal(["1", "2"], taken);

        var recovered = crash ? await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings()) : await CloseAndReopenAsync(channel);

        Assert.Equal(["1", "2", "3", "4", "5"], await DrainAsync(recovered));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restart_RolledBackPut_StaysInvisible(bool crash)
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a");
        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([Event.FromText("rolled-back-1"), Event.FromText("rolled-back-2")]);
            put.Rollback();
        }
        await PutAsync(channel, "c");

        var recovered = crash ? await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings()) : await CloseAndReopenAsync(channel);

        Assert.Equal(["a", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Rollback_NoOperations_WritesNothingAndChangesNothing()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a");
        var lengths = Fixture.LogFiles.Select(f => new FileInfo(f).Length).ToList();

        using (var empty = channel.BeginTransaction())
        {
            empty.Rollback();
        }
        using (var empty = channel.BeginTransaction())
        {
            await Eventually.Within(empty.CommitAsync(CancellationToken.None).AsTask());
        }
        using (var emptyTake = BeginTake(channel, 0, out _))
        {
            emptyTake.Rollback();
        }

        Assert.Equal(lengths, Fixture.LogFiles.Select(f => new FileInfo(f).Length).ToList());
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());
        Assert.Equal(["a"], await DrainAsync(recovered));
        Assert.Equal(["a"], await DrainAsync(channel));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restart_FullChannel_KeepsEveryEventAndTheCapacity(bool checkpointOnClose)
    {
        var settings = Fixture.Settings(capacity: 50, transactionCapacity: 10) with { CheckpointOnClose = checkpointOnClose };
        var channel = await _scope.OpenAsync(settings);
        var bodies = Names("e", 50);
        foreach (var chunk in bodies.Chunk(10))
        {
            await PutAsync(channel, chunk);
        }
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "overflow"));
        await FileChannelScope.StopAsync(channel);

        var reopened = await _scope.OpenAsync(settings);

        Assert.Equal(50, reopened.Counter.Size);
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(reopened, "overflow"));
        Assert.Equal(bodies[..10], await TakeAsync(reopened, 10));
        var after = Names("after", 10);
        await PutAsync(reopened, after);
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(reopened, "overflow"));
        Assert.Equal([.. bodies[10..], .. after], await DrainAsync(reopened, 10));
    }

    [Fact]
    public async Task Checkpoint_WithTakeOpenThenCommitted_TakeStaysCommittedAfterCrash()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b", "c");
        using var take = BeginTake(channel, 2, out _);
        await Eventually.Within(channel.CheckpointAsync(force: true));
        await Eventually.Within(take.CommitAsync(CancellationToken.None).AsTask());

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());

        Assert.Equal(["c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Checkpoint_WithTakeOpenThenCrash_TakenEventsComeBackFirstInOrder()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b", "c");
        using var take = BeginTake(channel, 2, out _);
        await Eventually.Within(channel.CheckpointAsync(force: true));
        await PutAsync(channel, "d");

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());

        Assert.Equal(["a", "b", "c", "d"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Checkpoint_WithPutOpen_PutCountsOnlyOnceCommitted()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a");
        using var put = channel.BeginTransaction();
        put.Put(Event.FromText("b"));
        await Eventually.Within(channel.CheckpointAsync(force: true));
        var beforeCommit = _scope.Crash();
        await Eventually.Within(put.CommitAsync(CancellationToken.None).AsTask());

        var afterCommit = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());
        var uncommitted = await _scope.OpenOnAsync(beforeCommit, Fixture.Settings());

        Assert.Equal(["a", "b"], await DrainAsync(afterCommit));
        Assert.Equal(["a"], await DrainAsync(uncommitted));
    }

    [Fact]
    public async Task ForcedCheckpoint_ThenCrash_ReplaysTheBlocksAfterIt()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b", "c");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        await Eventually.Within(channel.CheckpointAsync(force: true));
        await PutAsync(channel, "d");
        Assert.Equal(["b"], await TakeAsync(channel, 1));

        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());

        Assert.Equal(["c", "d"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Replay_FromCheckpoint_ReadsOnlyBlocksAfterIt()
    {
        var channel = await _scope.OpenAsync();
        await PutAsync(channel, "a", "b", "c");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        await Eventually.Within(channel.CheckpointAsync(force: true));
        await PutAsync(channel, "d");
        var withCheckpoint = _scope.Crash();
        var withoutCheckpoint = _scope.Crash();
        System.IO.File.Delete(withoutCheckpoint.CheckpointPath);
        // Damage the TAKE block the checkpoint already covers: a replay that reads it finds it corrupt
        // (a later block follows) and loses the take; a replay from the checkpoint never sees it.
        foreach (var copy in new[] { withCheckpoint, withoutCheckpoint })
        {
            var takeBlock = LogSurgery.Blocks(copy.LogPath(1)).Single(b => b.Kind == BlockKind.Take);
            LogSurgery.FlipByte(copy.LogPath(1), takeBlock.Offset + BlockHeader.Size);
        }

        var fromCheckpoint = await _scope.OpenOnAsync(withCheckpoint, Fixture.Settings());
        var fullReplay = await _scope.OpenOnAsync(withoutCheckpoint, Fixture.Settings());

        Assert.Equal(0, fromCheckpoint.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(["b", "c", "d"], await DrainAsync(fromCheckpoint));
        Assert.Equal(1, fullReplay.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(["a", "b", "c", "d"], await DrainAsync(fullReplay));
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task Stop_CheckpointOnClose_DecidesWhetherReopenReplaysTheLog(bool checkpointOnClose, long corruptBlocksSeen)
    {
        var settings = Fixture.Settings() with { CheckpointOnClose = checkpointOnClose };
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "a", "b");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        await PutAsync(channel, "c");
        await FileChannelScope.StopAsync(channel);
        var takeBlock = LogSurgery.Blocks(Fixture.LogPath(1)).Single(b => b.Kind == BlockKind.Take);
        LogSurgery.FlipByte(Fixture.LogPath(1), takeBlock.Offset + BlockHeader.Size);

        var reopened = await _scope.OpenAsync(settings);

        Assert.Equal(corruptBlocksSeen, reopened.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(checkpointOnClose ? ["b", "c"] : ["a", "b", "c"], await DrainAsync(reopened));
    }

    [Fact]
    public async Task Stop_WithoutPerTransactionFsyncOrCheckpointOnClose_SyncsTheLogSoTheLastTakesAreDurable()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings() with { FsyncPerTransaction = false, CheckpointOnClose = false }, storage);
        await PutAsync(channel, "a", "b");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        var syncs = storage.Syncs;

        await FileChannelScope.StopAsync(channel);

        Assert.Equal(syncs + 1, storage.Syncs);
    }

    [Fact]
    public async Task Restart_Twice_AfterRecoveryNeedsNoSecondReplay()
    {
        var settings = Fixture.Settings() with { CheckpointOnClose = false };
        var channel = await _scope.OpenAsync(settings);
        await PutAsync(channel, "a", "b");
        await FileChannelScope.StopAsync(channel);
        var first = await _scope.OpenAsync(settings);
        Assert.Equal(2, first.Counter.Size);
        await FileChannelScope.StopAsync(first);
        // Recovery wrote a checkpoint at once, so damage to the replayed file no longer matters.
        var put = LogSurgery.Blocks(Fixture.LogPath(1)).Single();
        LogSurgery.FlipByte(Fixture.LogPath(1), put.Offset + put.Length - 1);

        var second = await _scope.OpenAsync(settings);

        Assert.Equal(0, second.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(["a", "b"], await DrainAsync(second));
    }

    public void Dispose() => _scope.Dispose();

    private async Task<FileChannel> CloseAndReopenAsync(FileChannel channel)
    {
        await FileChannelScope.StopAsync(channel);
        return await _scope.OpenAsync();
    }
}
