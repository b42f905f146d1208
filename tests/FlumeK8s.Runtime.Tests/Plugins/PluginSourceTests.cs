using FlumeK8s.Plugins;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Plugins;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Plugins;

public sealed class PluginSourceTests
{
    /// <summary>Delivers one batch of <c>count</c> events when started, and records how it went.</summary>
    private sealed class OneBatchSource(int count) : ISourcePlugin
    {
        public TaskCompletionSource<Exception?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
        {
            var events = Enumerable.Range(0, count).Select(i => output.CreateEvent([(byte)('a' + i)], new Dictionary<string, string> { ["n"] = $"{i}" })).ToList();
            try
            {
                await output.DeliverAsync(events, cancellationToken);
                Outcome.SetResult(null);
            }
            catch (DeliveryRefusedException e)
            {
                Outcome.SetResult(e);
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private static async Task<(OneBatchSource Plugin, PluginSource Source, MemoryChannel Channel)> StartAsync(int count, int capacity, int prefill = 0)
    {
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(capacity, capacity, TimeSpan.Zero, 1L << 20));
        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([.. Enumerable.Range(0, prefill).Select(i => FlumeK8s.Runtime.Events.Event.FromText("earlier"))]);
            await put.CommitAsync(CancellationToken.None);
        }
        var processor = new ChannelProcessor(new ReplicatingSelector([channel], []), []);
        var plugin = new OneBatchSource(count);
        var source = new PluginSource(new SourceBuild("r1", "one-batch", processor, AgentServices.ForTests()), [], _ => plugin);
        await source.StartAsync(CancellationToken.None);
        return (plugin, source, channel);
    }

    [Fact]
    public async Task Deliver_Batch_CommittedToTheChannelAndCounted()
    {
        var (plugin, source, channel) = await StartAsync(count: 3, capacity: 10);
        Assert.Null(await Eventually.Within(plugin.Outcome.Task));
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(3, channel.Counter.PutSuccesses);
        Assert.Equal(3, source.Counter.EventsAccepted);
        using var take = channel.BeginTransaction();
        var taken = new List<FlumeK8s.Runtime.Events.Event>();
        take.TakeBatch(taken, 10);
        Assert.Equal(["0", "1", "2"], taken.Select(e => e.GetHeader("n")));
    }

    [Fact]
    public async Task Deliver_ChannelFull_PluginSeesDeliveryRefused()
    {
        var (plugin, source, channel) = await StartAsync(count: 2, capacity: 2, prefill: 1);
        var refused = await Eventually.Within(plugin.Outcome.Task);
        await source.StopAsync(CancellationToken.None);

        Assert.IsType<DeliveryRefusedException>(refused);
        Assert.Contains("r1", refused!.Message);
        Assert.Equal(1, channel.Counter.PutSuccesses); // the earlier event only: the batch was refused whole
        Assert.Equal(1, source.Counter.ChannelWriteFails);
    }
}
