using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Channels;

/// <summary>
/// The transaction rules every channel honours, whether it keeps events or not (the <c>null</c>
/// channel runs only these): puts or takes in one transaction, the transaction capacity, a prepare
/// that fixes the puts, a take that never waits, a finished transaction refusing more work.
/// </summary>
public abstract class TransactionContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A started channel with the given capacities and a keep-alive short enough for tests.</summary>
    protected abstract Task<IChannel> CreateAsync(int capacity, int transactionCapacity);

    [Fact]
    public async Task Prepare_FixesThePuts()
    {
        var channel = await CreateAsync(100, 10);
        using var put = channel.BeginTransaction();
        put.Put(Event.FromText("a"));
        await put.PrepareAsync(None);
        Assert.Throws<InvalidOperationException>(() => put.Put(Event.FromText("late")));
    }

    [Fact]
    public async Task Take_EmptyChannel_ReturnsZeroAtOnce()
    {
        var channel = await CreateAsync(100, 10);
        using var take = channel.BeginTransaction();
        var started = DateTime.UtcNow;
        Assert.Equal(0, take.TakeBatch([], 10));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Transaction_PutAndTake_Refused()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "a");
        using var transaction = channel.BeginTransaction();
        transaction.Put(Event.FromText("b"));
        Assert.Throws<InvalidOperationException>(() => transaction.TakeBatch([], 1));
    }

    [Fact]
    public async Task Put_BeyondTransactionCapacity_Throws()
    {
        var channel = await CreateAsync(100, 3);
        using var transaction = channel.BeginTransaction();
        transaction.PutBatch([Event.FromText("1"), Event.FromText("2"), Event.FromText("3")]);
        Assert.Throws<ChannelException>(() => transaction.Put(Event.FromText("4")));
    }

    [Fact]
    public async Task FinishedTransaction_RefusesFurtherWork()
    {
        var channel = await CreateAsync(10, 10);
        var transaction = channel.BeginTransaction();
        await transaction.CommitAsync(None);
        Assert.Throws<InvalidOperationException>(() => transaction.Put(Event.FromText("late")));
        transaction.Dispose();
    }

    protected static async Task PutAsync(IChannel channel, params string[] bodies)
    {
        using var put = channel.BeginTransaction();
        put.PutBatch([.. bodies.Select(b => Event.FromText(b))]);
        await put.CommitAsync(None);
    }

    protected static async Task<List<string>> TakeAsync(IChannel channel, int max)
    {
        using var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, max);
        await take.CommitAsync(None);
        return [.. events.Select(e => Encoding.UTF8.GetString(e.Body))];
    }
}
