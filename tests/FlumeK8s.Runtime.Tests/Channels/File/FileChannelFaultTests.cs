using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// A disk that fails: a locked directory, low space, a failed or torn write, a failed fsync. Low
/// space is backpressure; a failed write or fsync poisons the channel until a restart recovers
/// every commit that returned.
/// </summary>
public sealed class FileChannelFaultTests : IDisposable
{
    private readonly FileChannelScope _scope = new();

    private FileChannelFixture Fixture => _scope.Fixture;

    [Fact]
    public async Task Start_UnwritableDirectory_SaysSoInsteadOfBlamingAnotherChannel()
    {
        Directory.CreateDirectory(Fixture.DataDir);
        // chattr +i: EPERM even for root, as on an immutable or read-only volume.
        Assert.Equal(0, (await ExternalTool.RunAsync("chattr", "+i", Fixture.DataDir)).Code);
        try
        {
            var channel = await _scope.OpenAsync();

            Assert.Contains($"directory {Fixture.DataDir} cannot be written", channel.UnhealthyReason, StringComparison.Ordinal);
            Assert.DoesNotContain("in use", channel.UnhealthyReason, StringComparison.Ordinal);
            Assert.True(channel.NeedsReopen);
        }
        finally
        {
            await ExternalTool.RunAsync("chattr", "-i", Fixture.DataDir);
        }
    }

    [Fact]
    public async Task Start_DirectoriesHeldByAnotherChannel_FailsWhileTheFirstKeepsWorking()
    {
        var first = await _scope.OpenAsync();
        await PutAsync(first, "a");

        var second = await _scope.OpenAsync();

        Assert.Contains("in use", second.UnhealthyReason, StringComparison.Ordinal);
        Assert.Equal(1, second.Counter.Get(FileChannelCounter.Unhealthy));
        var refused = Assert.Throws<ChannelException>(second.BeginTransaction);
        Assert.Contains("in use", refused.Message, StringComparison.Ordinal);
        await FileChannelScope.StopAsync(second); // must not release the first channel's locks
        var third = await _scope.OpenAsync();
        Assert.Contains("in use", third.UnhealthyReason, StringComparison.Ordinal);
        await PutAsync(first, "b");
        Assert.Equal(["a"], await TakeAsync(first, 1));

        await FileChannelScope.StopAsync(first);
        var fourth = await _scope.OpenAsync();

        Assert.Null(fourth.UnhealthyReason);
        Assert.Equal(["b"], await DrainAsync(fourth));
    }

    [Fact]
    public async Task Start_DiskBelowMinimumRequiredSpace_StartsRefusesPutsAndServesTakes()
    {
        var plain = await _scope.OpenAsync();
        await PutAsync(plain, "a", "b");
        await FileChannelScope.StopAsync(plain);
        var storage = new FaultyStorage { FreeBytesOverride = 1000 };

        var channel = await _scope.OpenAsync(Fixture.Settings() with { MinimumRequiredSpace = 1_000_000 }, storage);

        Assert.Null(channel.UnhealthyReason);
        var refused = await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "c"));
        Assert.Contains("disk low", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        storage.FreeBytesOverride = 10_000_000;
        await PutAsync(channel, "d");
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());
        Assert.Equal(["b", "d"], await DrainAsync(recovered));
    }

    [Fact]
    public async Task Start_MinimumRequiredSpaceAboveTheWholeDisk_UnhealthyWithTheCauseTakesGoOn()
    {
        var plain = await _scope.OpenAsync();
        await PutAsync(plain, "a", "b");
        await FileChannelScope.StopAsync(plain);
        var storage = new FaultyStorage { TotalBytesOverride = 500_000, FreeBytesOverride = 400_000 };

        var channel = await _scope.OpenAsync(Fixture.Settings() with { MinimumRequiredSpace = 1_000_000 }, storage);

        Assert.Contains("minimumRequiredSpace (1000000 bytes) is not below the size of the whole disk", channel.UnhealthyReason);
        Assert.Contains("(500000 bytes)", channel.UnhealthyReason);
        var refused = await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "c"));
        Assert.Contains("lower minimumRequiredSpace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], await TakeAsync(channel, 1));

        Assert.True(channel.TryReconfigure(Fixture.Settings() with { MinimumRequiredSpace = 0 }));
        Assert.Null(channel.UnhealthyReason);
        await PutAsync(channel, "d");
        Assert.Equal(["b", "d"], await DrainAsync(channel));
    }

    [Fact]
    public async Task Put_DiskDropsBelowMinimumRequiredSpace_RefusedAsFullWithNothingLost()
    {
        var storage = new FaultyStorage { FreeBytesOverride = 10_000_000 };
        var channel = await _scope.OpenAsync(Fixture.Settings() with { MinimumRequiredSpace = 1_000_000 }, storage);
        await PutAsync(channel, "a", "b");

        storage.FreeBytesOverride = 1_000_010; // above the minimum, but not once this put's block is written
        var refused = await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "c"));
        var appendsWhileLow = storage.Appends;
        Assert.Equal(["a"], await TakeAsync(channel, 1));

        Assert.Contains("disk low", refused.Message, StringComparison.Ordinal);
        Assert.True(storage.Appends > appendsWhileLow, "take commits are still written while the disk is low");
        Assert.Null(channel.UnhealthyReason);
        Assert.Equal(1, channel.Counter.Size);
        var recovered = await _scope.OpenOnAsync(_scope.Crash(), Fixture.Settings());
        Assert.Equal(["b"], await DrainAsync(recovered));
        storage.FreeBytesOverride = null;
        await PutAsync(channel, "c");
        Assert.Equal(["b", "c"], await DrainAsync(channel));
    }

    [Theory]
    [InlineData(0)]     // the write fails outright
    [InlineData(9)]     // the block's header is half written
    [InlineData(30)]    // a crash mid-write: part of the block reached the disk
    public async Task Commit_LogWriteFails_PoisonsTheChannelAndReopenRecoversEveryEarlierCommit(int tornBytes)
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        await PutAsync(channel, "a", "b");
        Assert.Equal(["a"], await TakeAsync(channel, 1));
        storage.FailAppend(Fixture.DataDir, tornBytes: tornBytes);

        var failed = await Assert.ThrowsAsync<ChannelException>(() => PutAsync(channel, "c", "d"));

        Assert.IsNotType<ChannelFullException>(failed);
        Assert.Contains("injected fault", failed.Message, StringComparison.Ordinal);
        AssertPoisoned(channel, "injected fault");
        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.PutErrors));
        await FileChannelScope.StopAsync(channel);
        var reopened = await _scope.OpenAsync();
        Assert.Null(reopened.UnhealthyReason);
        Assert.Equal(0, reopened.Counter.Get(FileChannelCounter.CorruptBlocks));
        Assert.Equal(["b"], await DrainAsync(reopened));
    }

    [Fact]
    public async Task TakeCommit_LogWriteFails_PoisonsTheChannelAndTheEventsComeBackAfterReopen()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        await PutAsync(channel, "a", "b");
        storage.FailAppend(Fixture.DataDir);

        await Assert.ThrowsAsync<ChannelException>(() => TakeAsync(channel, 1));

        AssertPoisoned(channel, "injected fault");
        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.TakeErrors));
        await FileChannelScope.StopAsync(channel);
        var reopened = await _scope.OpenAsync();
        Assert.Equal(["a", "b"], await DrainAsync(reopened));
    }

    [Fact]
    public async Task Commit_FsyncFails_PoisonsTheChannelAndReopenRecoversEveryEarlierCommit()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        await PutAsync(channel, "a", "b");
        storage.FailSyncs(Fixture.DataDir);

        var failed = await Assert.ThrowsAsync<ChannelException>(() => PutAsync(channel, "c"));

        Assert.Contains("fsync", failed.Message, StringComparison.Ordinal);
        AssertPoisoned(channel, "fsync");
        Assert.Equal(2, channel.Counter.Size); // a block that is not durable never becomes visible
        await FileChannelScope.StopAsync(channel);
        var reopened = await _scope.OpenAsync();
        var recovered = await DrainAsync(reopened);
        // The failed commit's bytes may have reached the disk anyway: at least once, never lost.
        Assert.True(recovered.SequenceEqual(["a", "b"]) || recovered.SequenceEqual(["a", "b", "c"]), string.Join(',', recovered));
    }

    [Fact]
    public async Task Commit_FsyncFailsUnderWaitingCommitters_EveryOneOfThemFails()
    {
        const int committers = 8;
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        var appendsBefore = storage.Appends;
        storage.HoldSyncs();
        var commits = Enumerable.Range(0, committers).Select(i => Task.Run(() => PutAsync(channel, $"e{i}"))).ToArray();
        await Eventually.TrueAsync(() => storage.Appends - appendsBefore == committers && storage.HeldSyncs == 1, "every block written, one flush waiting");

        storage.FailSyncs(Fixture.DataDir);
        storage.ReleaseSyncs();

        foreach (var commit in commits)
        {
            await Assert.ThrowsAsync<ChannelException>(() => Eventually.Within(commit));
        }
        AssertPoisoned(channel, "fsync");
        Assert.Equal(0, channel.Counter.Size);
    }

    [Fact]
    public async Task Checkpoint_LogFsyncFails_PoisonsTheChannelAndWritesNoCheckpoint()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings() with { FsyncPerTransaction = false }, storage);
        await PutAsync(channel, "a", "b");
        var checkpoint = System.IO.File.ReadAllBytes(Fixture.CheckpointPath);
        storage.FailSyncs(Fixture.DataDir);

        await Eventually.Within(channel.CheckpointAsync(force: true));

        AssertPoisoned(channel, "fsync");
        Assert.Equal(checkpoint, System.IO.File.ReadAllBytes(Fixture.CheckpointPath)); // never covers what is not durable
        await FileChannelScope.StopAsync(channel);
        var reopened = await _scope.OpenAsync();
        Assert.Equal(["a", "b"], await DrainAsync(reopened));
    }

    [Fact]
    public async Task PeriodicFsync_Fails_PoisonsTheChannel()
    {
        var storage = new FaultyStorage();
        var time = new ManualTimeProvider();
        var settings = Fixture.Settings() with { FsyncPerTransaction = false, FsyncInterval = TimeSpan.FromSeconds(5) };
        var channel = await Fixture.OpenAsync(settings, storage, time);
        try
        {
            await PutAsync(channel, "a");
            storage.FailSyncs(Fixture.DataDir);

            time.Advance(TimeSpan.FromSeconds(5));

            await Eventually.TrueAsync(() => channel.UnhealthyReason is not null, "the periodic fsync to fail");
            AssertPoisoned(channel, "periodic fsync failed");
        }
        finally
        {
            await FileChannelScope.StopAsync(channel);
        }
    }

    [Fact]
    public async Task Checkpoint_AfterPoison_DoesNotWrite()
    {
        var storage = new FaultyStorage();
        var channel = await _scope.OpenAsync(Fixture.Settings(), storage);
        await PutAsync(channel, "a");
        storage.FailAppend(Fixture.DataDir);
        await Assert.ThrowsAsync<ChannelException>(() => PutAsync(channel, "b"));
        var checkpoint = System.IO.File.ReadAllBytes(Fixture.CheckpointPath);

        await Eventually.Within(channel.CheckpointAsync(force: true));
        await FileChannelScope.StopAsync(channel);

        Assert.Equal(checkpoint, System.IO.File.ReadAllBytes(Fixture.CheckpointPath));
        var reopened = await _scope.OpenAsync();
        Assert.Equal(["a"], await DrainAsync(reopened));
    }

    public void Dispose() => _scope.Dispose();

    private static void AssertPoisoned(FileChannel channel, string cause)
    {
        Assert.Contains(cause, channel.UnhealthyReason, StringComparison.Ordinal);
        Assert.Equal(1, channel.Counter.Get(FileChannelCounter.Unhealthy));
        var refused = Assert.Throws<ChannelException>(channel.BeginTransaction);
        Assert.Contains(cause, refused.Message, StringComparison.Ordinal);
        Assert.Throws<ChannelException>(channel.BeginTransaction); // every later operation, not just the next
    }
}
