using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>A real memory channel behind a real channel processor, for testing sources and interceptors.</summary>
public sealed class TestPipeline
{
    public TestPipeline(int capacity = 10000, int transactionCapacity = 1000, TimeSpan? keepAlive = null, params IInterceptor[] interceptors)
    {
        Channel = new MemoryChannel("c1", new MemoryChannelSettings(capacity, transactionCapacity, keepAlive ?? TimeSpan.Zero, 1L << 30));
        Processor = new ChannelProcessor(new ReplicatingSelector([Channel], []), interceptors);
    }

    public MemoryChannel Channel { get; }

    public ChannelProcessor Processor { get; }

    public AgentServices Services { get; } = AgentServices.ForTests();

    /// <summary>Takes and commits everything in the channel now.</summary>
    public List<Event> Drain()
    {
        var events = new List<Event>();
        while (true)
        {
            using var transaction = Channel.BeginTransaction();
            var taken = transaction.TakeBatch(events, 1000);
            transaction.CommitAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (taken == 0)
            {
                return events;
            }
        }
    }

    public List<string> DrainBodies() => [.. Drain().Select(e => System.Text.Encoding.UTF8.GetString(e.Body))];

    /// <summary>Builds a component context from "key=value" pairs, as the configuration would.</summary>
    public static (ComponentContext Context, ConfigProblems Problems) Context(params string[] properties)
    {
        var problems = new ConfigProblems();
        var entries = properties
            .Select((p, i) => new PropertyEntry("a1.sources.r1." + p[..p.IndexOf('=')], p[(p.IndexOf('=') + 1)..], i + 1))
            .ToDictionary(e => e.Key["a1.sources.r1.".Length..], StringComparer.Ordinal);
        return (new ComponentContext("a1.sources.r1.", "r1", entries, problems, 1), problems);
    }
}
