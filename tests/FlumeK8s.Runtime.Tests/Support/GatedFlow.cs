using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>
/// Agent a1 holding events its sink cannot deliver, as when the next tier is down: a seq source puts
/// a fixed number into memory channel c1, whose <see cref="GatedSink"/> k1 fails every batch until
/// the gate opens.
/// </summary>
public static class GatedFlow
{
    public static string Config(int events, int capacity = 100) => $"""
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = seq
        a1.sources.r1.totalEvents = {events}
        a1.sources.r1.batchSize = 10
        a1.sources.r1.channels = c1
        a1.channels.c1.type = memory
        a1.channels.c1.capacity = {capacity}
        a1.sinks.k1.type = gated
        a1.sinks.k1.channel = c1
        a1.sinks.k1.errorBackoffSleep = 200
        a1.sinks.k1.maxBackoffSleep = 200
        """;

    /// <summary>A loader for agent a1 that knows <c>type = gated</c> (behind <paramref name="gate"/>) and any <paramref name="moreSinks"/>.</summary>
    public static ConfigLoader Loader(DeliveryGate gate, params ComponentType<SinkPlan>[] moreSinks) =>
        new("a1", new Substitution(new Dictionary<string, string>(), _ => null), new ComponentCatalog(ComponentCatalog.Default.Sources,
            ComponentCatalog.Default.Channels, [.. SinkCatalog.All, GatedSink.Type(gate), .. moreSinks], ComponentCatalog.Default.Interceptors));
}
