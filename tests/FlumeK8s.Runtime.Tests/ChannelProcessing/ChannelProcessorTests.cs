using System.Text;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.Tests.ChannelProcessing;

public sealed class ChannelProcessorTests
{
    private static MemoryChannel Channel(string name, int capacity = 100) =>
        new(name, new MemoryChannelSettings(capacity, 100, TimeSpan.Zero, 1L << 30));

    private static List<string> Contents(IChannel channel)
    {
        using var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, 100);
        take.Rollback();
        return [.. events.Select(e => Encoding.UTF8.GetString(e.Body))];
    }

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
    public async Task Replicating_RequiredChannelFull_ThrowsAndThatChannelGetsNothing()
    {
        var (first, full) = (Channel("c1"), Channel("c2", capacity: 1));
        var processor = new ChannelProcessor(new ReplicatingSelector([first, full], []), []);
        await Assert.ThrowsAsync<ChannelFullException>(() => processor.ProcessBatchAsync(Events(("a", null), ("b", null)), default).AsTask());
        Assert.Equal(["a", "b"], Contents(first)); // as in Flume: channels already done stay committed
        Assert.Empty(Contents(full));
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
