using System.Text;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;
using FlumeK8s.Runtime.Tests.Channels.File;

namespace FlumeK8s.Runtime.Tests.ChannelProcessing;

public sealed class ChannelProcessorTests : IDisposable
{
    private readonly FileChannelFixture _files = new();
    private readonly List<FileChannel> _open = [];

    public void Dispose()
    {
        foreach (var channel in _open)
        {
            channel.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        _files.Dispose();
    }

    private static MemoryChannel Channel(string name, int capacity = 100, int transactionCapacity = 100) =>
        new(name, new MemoryChannelSettings(capacity, transactionCapacity, TimeSpan.Zero, 1L << 30));

    private async Task<FileChannel> FileChannelAsync(int capacity, int transactionCapacity = 100)
    {
        var channel = await _files.OpenAsync(_files.Settings(capacity, transactionCapacity));
        _open.Add(channel);
        return channel;
    }

    /// <summary>Everything in the channel, in order, read in transactions of its own size and put back.</summary>
    private static List<string> Contents(IChannel channel)
    {
        var events = new List<Event>();
        var takes = new List<IChannelTransaction>();
        while (true)
        {
            var take = channel.BeginTransaction();
            takes.Add(take);
            if (take.TakeBatch(events, channel.TransactionCapacity) == 0)
            {
                break;
            }
        }
        // Put back newest first, so the channel's order is unchanged.
        for (var i = takes.Count - 1; i >= 0; i--)
        {
            takes[i].Dispose();
        }
        return [.. events.Select(e => Encoding.UTF8.GetString(e.Body))];
    }

    private static List<Event> Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => Event.FromText($"{i}"))];

    private static List<string> Numbers(int count) => [.. Enumerable.Range(0, count).Select(i => $"{i}")];

    private static List<Event> Events(params (string Body, string? Type)[] events) =>
        [.. events.Select(e => Event.FromText(e.Body, e.Type is null ? null : new() { ["type"] = e.Type }))];

    [Fact]
    public async Task Replicating_EveryChannelGetsEveryEvent()
    {
        var (c1, c2) = (Channel("c1"), Channel("c2"));
        var processor = new ChannelProcessor(new ReplicatingSelector([c1, c2], []), []);
        await processor.ProcessBatchAsync(Events(("a", null), ("b", null)), default);
        Assert.Equal(["a", "b"], Contents(c1));
        Assert.Equal(["a", "b"], Contents(c2));
    }

    [Fact]
    public async Task Replicating_OptionalChannelFull_DeliveryStillSucceeds()
    {
        var (required, optional) = (Channel("c1"), Channel("c2", capacity: 1));
        var processor = new ChannelProcessor(new ReplicatingSelector([required], [optional]), []);
        await processor.ProcessBatchAsync(Events(("a", null), ("b", null)), default);
        Assert.Equal(["a", "b"], Contents(required));
        Assert.Empty(Contents(optional));
    }

    [Fact]
    public async Task Replicating_SecondRequiredChannelFull_NeitherKeepsTheBatch()
    {
        var (first, full) = (Channel("c1"), Channel("c2", capacity: 1));
        var processor = new ChannelProcessor(new ReplicatingSelector([first, full], []), []);
        await Assert.ThrowsAsync<ChannelFullException>(() => processor.ProcessBatchAsync(Events(("a", null), ("b", null)), default).AsTask());
        // Flume would keep the batch in c1, and every retry would add it again.
        Assert.Empty(Contents(first));
        Assert.Empty(Contents(full));
    }

    [Fact]
    public async Task Replicating_FileChannelFull_MemoryChannelKeepsNothing()
    {
        var memory = Channel("memory");
        var file = await FileChannelAsync(capacity: 3);
        var processor = new ChannelProcessor(new ReplicatingSelector([memory, file], []), []);
        await processor.ProcessBatchAsync(Numbered(2), default);

        await Assert.ThrowsAsync<ChannelFullException>(() => processor.ProcessBatchAsync(Numbered(2), default).AsTask());
        Assert.Equal(["0", "1"], Contents(memory));
        Assert.Equal(["0", "1"], Contents(file));
        Assert.Equal(2, memory.Counter.Size);
    }

    [Fact]
    public async Task Replicating_MemoryChannelFull_FileChannelKeepsNothingAndHoldsNoRoom()
    {
        var memory = Channel("memory", capacity: 3);
        var file = await FileChannelAsync(capacity: 4);
        var processor = new ChannelProcessor(new ReplicatingSelector([file, memory], []), []);
        await processor.ProcessBatchAsync(Numbered(2), default);

        await Assert.ThrowsAsync<ChannelFullException>(() => processor.ProcessBatchAsync(Numbered(2), default).AsTask());
        Assert.Equal(["0", "1"], Contents(file));
        // The refused round released what it held in the file channel: two more still fit there.
        using var put = file.BeginTransaction();
        put.PutBatch(Numbered(2));
        await put.CommitAsync(default);
    }

    [Fact]
    public async Task Batch_LargerThanTransactionCapacity_CommittedInPartsInOrder()
    {
        var channel = Channel("c1", capacity: 1000, transactionCapacity: 10);
        var processor = new ChannelProcessor(new ReplicatingSelector([channel], []), []);
        await processor.ProcessBatchAsync(Numbered(35), default);
        Assert.Equal(Numbers(35), Contents(channel));
        Assert.Equal(35, channel.Counter.PutSuccesses);
    }

    [Fact]
    public async Task Batch_ChannelsWithDifferentTransactionCapacities_EachGetsEverything()
    {
        var memory = Channel("memory", capacity: 1000, transactionCapacity: 7);
        var file = await FileChannelAsync(capacity: 1000, transactionCapacity: 10);
        var optional = Channel("optional", capacity: 1000, transactionCapacity: 3);
        var processor = new ChannelProcessor(new ReplicatingSelector([memory, file], [optional]), []);
        await processor.ProcessBatchAsync(Numbered(50), default);
        Assert.Equal(Numbers(50), Contents(memory));
        Assert.Equal(Numbers(50), Contents(file));
        Assert.Equal(Numbers(50), Contents(optional));
    }

    [Fact]
    public async Task Batch_TransactionCapacityLoweredByReload_NextBatchUsesTheNewSize()
    {
        var channel = Channel("c1", capacity: 1000, transactionCapacity: 100);
        var processor = new ChannelProcessor(new ReplicatingSelector([channel], []), []);
        Assert.True(channel.TryReconfigure(channel.Settings with { TransactionCapacity = 4 }));
        await processor.ProcessBatchAsync(Numbered(10), default);
        Assert.Equal(Numbers(10), Contents(channel));
    }

    [Fact]
    public async Task Batch_PartRefusedAfterEarlierPartsCommitted_EarlierPartsStay()
    {
        var channel = Channel("c1", capacity: 25, transactionCapacity: 10);
        var processor = new ChannelProcessor(new ReplicatingSelector([channel], []), []);
        await Assert.ThrowsAsync<ChannelFullException>(() => processor.ProcessBatchAsync(Numbered(30), default).AsTask());
        // At least once: the sender retries all 30, so these 20 will be there twice.
        Assert.Equal(Numbers(20), Contents(channel));
    }

    [Fact]
    public async Task Multiplexing_BatchesLargerThanTransactionCapacity_RoutedInParts()
    {
        var (odd, even) = (Channel("odd", 1000, transactionCapacity: 3), Channel("even", 1000, transactionCapacity: 4));
        var selector = new MultiplexingSelector("parity",
            new Dictionary<string, IReadOnlyList<IChannel>> { ["odd"] = [odd], ["even"] = [even] },
            new Dictionary<string, IReadOnlyList<IChannel>>(),
            []);
        var processor = new ChannelProcessor(selector, []);
        var events = Enumerable.Range(0, 20)
            .Select(i => Event.FromText($"{i}", new() { ["parity"] = i % 2 == 0 ? "even" : "odd" })).ToList();
        await processor.ProcessBatchAsync(events, default);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 2 == 1).Select(i => $"{i}"), Contents(odd));
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 2 == 0).Select(i => $"{i}"), Contents(even));
    }

    [Fact]
    public async Task Multiplexing_RoutesByHeaderWithDefaultAndOptional()
    {
        var (errors, info, other, audit) = (Channel("errors"), Channel("info"), Channel("other"), Channel("audit"));
        var selector = new MultiplexingSelector("type",
            new Dictionary<string, IReadOnlyList<IChannel>> { ["error"] = [errors], ["info"] = [info] },
            new Dictionary<string, IReadOnlyList<IChannel>> { ["error"] = [audit] },
            [other]);
        var processor = new ChannelProcessor(selector, []);
        await processor.ProcessBatchAsync(Events(("e1", "error"), ("i1", "info"), ("x", null), ("u", "unmapped"), ("e2", "error")), default);
        Assert.Equal(["e1", "e2"], Contents(errors));
        Assert.Equal(["i1"], Contents(info));
        Assert.Equal(["x", "u"], Contents(other));
        Assert.Equal(["e1", "e2"], Contents(audit));
    }

    [Fact]
    public async Task Interceptors_RunBeforeSelectorAndMayDrop()
    {
        var channel = Channel("c1");
        var processor = new ChannelProcessor(new ReplicatingSelector([channel], []), [new DropBodies("drop"), new Tag()]);
        await processor.ProcessBatchAsync(Events(("keep", null), ("drop", null)), default);
        using var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, 10);
        Assert.Equal("yes", Assert.Single(events).GetHeader("tagged"));
    }

    private sealed class DropBodies(string body) : EventInterceptor
    {
        public override bool Intercept(Event @event) => Encoding.UTF8.GetString(@event.Body) != body;
    }

    private sealed class Tag : EventInterceptor
    {
        public override bool Intercept(Event @event)
        {
            @event.Headers["tagged"] = "yes";
            return true;
        }
    }
}
