using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// deferTakeFsync: a take commit returns once its block is written and frees its room at once; until
/// an fsync covers it the take stays open to checkpoints (not recorded as taken, its log files live),
/// and a crash before that fsync brings its events back.
/// </summary>
public sealed class FileChannelDeferredTakeTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(100);
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    private FileChannelSettings Deferred(int capacity = 1000) =>
        Fixture.Settings(capacity) with { DeferTakeFsync = true, DeferTakeFsyncMaxDelay = Bound };

    [Fact]
    public async Task TakeCommit_FsyncHeld_ReturnsAndFreesItsRoomAtOnce()
    {
        var storage = new FaultyStorage();
        var time = new ManualTimeProvider();
        var channel = await _scope.StartAsync(new FileChannel("c1", Deferred(capacity: 2), time, NullLoggerFactory.Instance, storage));
        await PutAsync(channel, "a", "b");
        var syncs = storage.Syncs;
        storage.HoldSyncs();

        Assert.Equal(["a", "b"], await TakeAsync(channel, 2)); // returns although no fsync can finish

        Assert.Equal(0, channel.EventsHeld);
        Assert.Equal(syncs, storage.Syncs);
        storage.ReleaseSyncs();
        time.Advance(Bound);
        await Eventually.TrueAsync(() => storage.Syncs > syncs, "the timer's fsync");
        await PutAsync(channel, "c", "d");
        Assert.Equal(["c", "d"], await DrainAsync(channel));
    }

    [Fact]
    public async Task TakeCommit_NoOtherCommit_BecomesDurableWithinTheBound()
    {
        var time = new ManualTimeProvider();
        var channel = await _scope.StartAsync(new FileChannel("c1", Deferred(), time, NullLoggerFactory.Instance));
        await PutAsync(channel, "a");
        var syncs = channel.Syncs;

        Assert.Equal(["a"], await TakeAsync(channel, 1));
        Assert.Equal(syncs, channel.Syncs);

        time.Advance(Bound);
        await Eventually.TrueAsync(() => channel.Syncs == syncs + 1, "the timer's fsync of the deferred take");
    }

    [Fact]
    public async Task Reload_TurnsDeferralOn_TheBoundsTimerComesWithIt()
    {
        var time = new ManualTimeProvider();
        var channel = await _scope.StartAsync(new FileChannel("c1", Fixture.Settings(1000), time, NullLoggerFactory.Instance));
        Assert.True(channel.TryReconfigure(Deferred()));
        await PutAsync(channel, "a");
        var syncs = channel.Syncs;

        Assert.Equal(["a"], await TakeAsync(channel, 1));
        Assert.Equal(syncs, channel.Syncs);

        time.Advance(Bound);
        await Eventually.TrueAsync(() => channel.Syncs == syncs + 1, "the fsync of the deferred take by the timer the reload scheduled");
    }

    [Fact]
    public async Task TakeCommit_NextPutCommit_SharesItsFsync()
    {
        var time = new ManualTimeProvider();
        var channel = await _scope.StartAsync(new FileChannel("c1", Deferred(), time, NullLoggerFactory.Instance));
        await PutAsync(channel, "a");
        var syncs = channel.Syncs;

        Assert.Equal(["a"], await TakeAsync(channel, 1));
        await PutAsync(channel, "b");

        Assert.Equal(syncs + 1, channel.Syncs); // one fsync for the take and the put
        Assert.Equal(1, channel.EventsHeld);
        Assert.Equal(["b"], await DrainAsync(channel));
    }

    [Fact]
    public async Task Crash_BeforeTheTakesFsync_BringsItsEventsBack()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Deferred(), storage);
        await PutAsync(channel, "a", "b", "c");
        var durableLength = new FileInfo(Fixture.LogPath(Fixture.LogIds().Max())).Length;
        storage.HoldSyncs();

        Assert.Equal(["a", "b"], await TakeAsync(channel, 2));

        // The page cache lost with the machine: the take block never reached the disk.
        var crashed = _scope.Crash();
        using (var log = new FileStream(crashed.LogPath(crashed.LogIds().Max()), FileMode.Open))
        {
            Assert.True(log.Length > durableLength);
            log.SetLength(durableLength);
        }
        storage.ReleaseSyncs();
        var recovered = await _scope.OpenOnAsync(crashed, Deferred());
        Assert.Equal(["a", "b", "c"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Checkpoint_TakeNotYetDurable_WaitsForItsFsyncAndKeepsItsLogFileUntilThen()
    {
        var storage = new FaultyStorage();
        var settings = BigEvents.Settings(Fixture) with { DeferTakeFsync = true, DeferTakeFsyncMaxDelay = TimeSpan.FromHours(1) };
        var channel = await _scope.OpenAsync(settings, storage);
        var names = Names("e", 7);
        await BigEvents.PutEachAsync(channel, names);
        storage.HoldSyncs();

        Assert.Equal(names[..3], await BigEvents.TakeAsync(channel, 3)); // every event of file 1
        var checkpoint = Task.Run(() => channel.CheckpointAsync(force: true)); // blocks in the held fsync
        await Eventually.TrueAsync(() => storage.HeldSyncs > 0, "the checkpoint waiting for the take's fsync");

        Assert.False(checkpoint.IsCompleted);
        Assert.Equal([1, 2, 3], Fixture.LogIds());
        var crashedBeforeFsync = _scope.Crash();
        storage.ReleaseSyncs();
        await Eventually.Within(checkpoint);
        Assert.Equal([2, 3], Fixture.LogIds());
        Assert.Equal(4, channel.EventsHeld);

        // The files before that fsync: no checkpoint records the take and file 1 is there, so a
        // restart loses nothing whether or not the unsynced take block survived.
        var recovered = await _scope.OpenOnAsync(crashedBeforeFsync, settings);
        Assert.Equal(0, recovered.Counter.Get(FileChannelCounter.LostEvents));
        Assert.Subset((await BigEvents.DrainAsync(recovered)).ToHashSet(), names[3..].ToHashSet());
    }

    [Fact]
    public async Task Stop_WithoutCheckpointOnClose_MakesTheDeferredTakeDurable()
    {
        var time = new ManualTimeProvider();
        var settings = Deferred() with { CheckpointOnClose = false };
        var channel = await _scope.StartAsync(new FileChannel("c1", settings, time, NullLoggerFactory.Instance));
        await PutAsync(channel, "a", "b");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        var syncs = channel.Syncs;

        await FileChannelScope.StopAsync(channel);

        Assert.True(channel.Syncs > syncs);
        var reopened = await _scope.OpenAsync(settings);
        Assert.Equal(["b"], await DrainAsync(reopened));
    }

    [Fact]
    public async Task DisposedBeforeDurable_TransactionIsNotReusedUntilApplied()
    {
        var time = new ManualTimeProvider();
        var channel = await _scope.StartAsync(new FileChannel("c1", Deferred(), time, NullLoggerFactory.Instance));
        await PutAsync(channel, "a", "b");
        var first = channel.BeginTransaction();
        first.TakeBatch([], 1);
        await Eventually.Within(first.CommitAsync(CancellationToken.None).AsTask());
        first.Dispose(); // committed, not durable: its slots are still needed by the apply

        using (var second = channel.BeginTransaction())
        {
            Assert.NotSame(first, second);
        }
        time.Advance(Bound);
        Assert.Equal(["b"], await DrainAsync(channel));
    }

    private static string[] Names(string prefix, int count) => [.. Enumerable.Range(1, count).Select(i => $"{prefix}{i}")];

    public void Dispose() => _scope.Dispose();
}
