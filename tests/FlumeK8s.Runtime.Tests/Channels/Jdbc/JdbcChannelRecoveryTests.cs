using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Jdbc;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>
/// What the jdbc channel finds when it opens a database again: the same on every store, each run
/// through a subclass that says how to reach the database behind the channel's back.
/// </summary>
public abstract class JdbcChannelRecoveryTests : IDisposable
{
    protected JdbcChannels Channels { get; } = new();

    protected abstract JdbcChannelSettings Settings(int capacity = 1000, int transactionCapacity = 100);

    /// <summary>Runs <paramref name="sql"/> on the channel's database, as an administrator would.</summary>
    protected abstract Task ExecuteAsync(string sql);

    [Fact]
    public async Task Reopen_CommittedPuts_AllBackInOrder()
    {
        var channel = await Channels.OpenAsync(Settings());
        await ChannelSteps.PutAsync(channel, "1", "2");
        await ChannelSteps.PutAsync(channel, "3");
        await Channels.CloseAsync(channel);
        var reopened = await Channels.OpenAsync(Settings());
        Assert.Equal(3, reopened.Counter.Size);
        Assert.Equal(3, reopened.EventsHeld);
        Assert.Equal(["1", "2", "3"], await ChannelSteps.DrainAsync(reopened));
    }

    [Fact]
    public async Task Reopen_TakenButNeverCommitted_AvailableAgainInOrder()
    {
        var channel = await Channels.OpenAsync(Settings());
        await ChannelSteps.PutAsync(channel, "1", "2", "3", "4");
        await ChannelSteps.TakeAsync(channel, 1);
        // The process dies with a take open: its transaction never commits nor rolls back.
        var inFlight = ChannelSteps.BeginTake(channel, 2, out var taken);
        Assert.Equal(["2", "3"], taken);
        await Channels.CloseAsync(channel);
        var reopened = await Channels.OpenAsync(Settings());
        Assert.Equal(["2", "3", "4"], await ChannelSteps.DrainAsync(reopened));
        inFlight.Dispose();
    }

    [Fact]
    public async Task Reopen_PutsAfterRestart_FollowTheOldOnes()
    {
        var channel = await Channels.OpenAsync(Settings());
        await ChannelSteps.PutAsync(channel, "old1", "old2");
        await ChannelSteps.TakeAsync(channel, 1);
        await Channels.CloseAsync(channel);
        var reopened = await Channels.OpenAsync(Settings());
        await ChannelSteps.PutAsync(reopened, "new1", "new2");
        Assert.Equal(["old2", "new1", "new2"], await ChannelSteps.DrainAsync(reopened));
    }

    [Fact]
    public async Task Reopen_RowsLeft_CountTowardsCapacity()
    {
        var channel = await Channels.OpenAsync(Settings(capacity: 3, transactionCapacity: 3));
        await ChannelSteps.PutAsync(channel, "1", "2");
        await Channels.CloseAsync(channel);
        var reopened = await Channels.OpenAsync(Settings(capacity: 3, transactionCapacity: 3));
        await Assert.ThrowsAsync<ChannelFullException>(() => ChannelSteps.PutAsync(reopened, "3", "4"));
        await ChannelSteps.PutAsync(reopened, "3");
    }

    [Fact]
    public async Task Open_NewerSchemaVersion_RefusedWithClearError()
    {
        await Channels.CloseAsync(await Channels.OpenAsync(Settings()));
        await ExecuteAsync($"UPDATE {EventTable.Versions} SET version = 2 WHERE component = '{EventTable.Component}'");
        var refused = await Channels.OpenAsync(Settings());
        Assert.Contains("schema version 2", refused.UnhealthyReason);
        Assert.Contains("newer than this agent's (1)", refused.UnhealthyReason);
        Assert.True(refused.NeedsReopen);
        using var put = refused.BeginTransaction();
        put.Put(Event.FromText("x"));
        var error = await Assert.ThrowsAsync<ChannelException>(() => put.CommitAsync(CancellationToken.None).AsTask());
        Assert.Contains("not serving", error.Message);
    }

    [Fact]
    public async Task Open_WithoutTablesAndCreateSchemaFalse_RefusedNamingTheTable()
    {
        var refused = await Channels.OpenAsync(Settings() with { CreateSchema = false });
        Assert.Contains($"the table {EventTable.Versions} does not exist and create.schema is false", refused.UnhealthyReason);
    }

    [Fact]
    public async Task Open_SchemaCreatedBefore_CreateSchemaFalseServes()
    {
        await Channels.CloseAsync(await Channels.OpenAsync(Settings()));
        var channel = await Channels.OpenAsync(Settings() with { CreateSchema = false });
        Assert.Null(channel.UnhealthyReason);
        await ChannelSteps.PutAsync(channel, "a");
        Assert.Equal(["a"], await ChannelSteps.DrainAsync(channel));
    }

    [Fact]
    public async Task Open_SameChannelIdTwice_SecondRefused()
    {
        var first = await Channels.OpenAsync(Settings());
        var second = await Channels.OpenAsync(Settings());
        Assert.Null(first.UnhealthyReason);
        Assert.Contains("in use by another", second.UnhealthyReason);
        await Channels.CloseAsync(first);
        var third = await Channels.OpenAsync(Settings());
        Assert.Null(third.UnhealthyReason);
    }

    [Fact]
    public async Task Take_RowsGoneBehindTheChannel_SkippedAndTheRestServed()
    {
        // What a take commit whose answer was lost leaves behind: the rows are gone, the ids still queued.
        var channel = await Channels.OpenAsync(Settings());
        await ChannelSteps.PutAsync(channel, "1", "2", "3");
        await ExecuteAsync($"DELETE FROM {EventTable.Events} WHERE id = 2");
        Assert.Equal(["1", "3"], await ChannelSteps.TakeAsync(channel, 10));
        Assert.Equal(0, channel.EventsHeld);
        await ChannelSteps.PutAsync(channel, "4");
        Assert.Equal(["4"], await ChannelSteps.DrainAsync(channel));
    }

    public virtual void Dispose() => Channels.Dispose();
}
