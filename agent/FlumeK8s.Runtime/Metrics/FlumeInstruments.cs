using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// One observable instrument per component kind and Flume attribute
/// (<c>flume.channel.event_put_success_count</c>), measuring every registered component that has the
/// attribute, tagged <c>component</c> and <c>type</c>. The counters' interlocked fields are the
/// storage and the instruments the one published source: the hot path adds to a long per batch and
/// pays nothing per measurement, and a reader that attaches late still sees every count since start.
/// Instruments are created as attributes first appear and live as long as the Meter; a component
/// removed by a reload is no longer measured, a replaced one is measured once, under its new type.
/// </summary>
internal sealed class FlumeInstruments(Meter meter, Func<IReadOnlyList<ComponentCounter>> components)
{
    /// <summary>Derived from size and capacity, so it is not a slot of the channel's counter.</summary>
    public const string FillPercentage = "ChannelFillPercentage";

    // Attributes that go up and down; every other attribute only grows while its component lives.
    private static readonly HashSet<string> Gauges = new(StringComparer.Ordinal)
    {
        "ChannelSize", "ChannelCapacity", FillPercentage, "OpenConnectionCount", "Open", "Closed", "Unhealthy",
        "MemorySize", "OverflowSize",
    };

    private readonly ConcurrentDictionary<string, FlumeAttribute> _byInstrument = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments for the attributes of <paramref name="counter"/> that have none yet.</summary>
    public void Add(ComponentCounter counter)
    {
        foreach (var attribute in counter.AttributeNames)
        {
            Ensure(counter.Kind, attribute);
        }
        if (counter is ChannelCounter)
        {
            Ensure(counter.Kind, FillPercentage);
        }
    }

    /// <summary>The Flume attribute an instrument of this set measures; false for any other instrument.</summary>
    public bool TryFind(string instrument, out FlumeAttribute attribute) => _byInstrument.TryGetValue(instrument, out attribute);

    private void Ensure(string kind, string attribute)
    {
        var name = MetricNames.Instrument(kind, attribute);
        // Named before it is created: creating publishes it, and a listener deciding on publication must know it.
        if (!_byInstrument.TryAdd(name, new FlumeAttribute(kind, attribute)))
        {
            return;
        }
        if (attribute == FillPercentage)
        {
            meter.CreateObservableGauge(name, () => Measure(kind, c => (c as ChannelCounter)?.FillPercentage));
        }
        else if (Gauges.Contains(attribute))
        {
            meter.CreateObservableGauge(name, () => Measure(kind, c => c.Find(attribute)));
        }
        else
        {
            meter.CreateObservableCounter(name, () => Measure(kind, c => c.Find(attribute)));
        }
    }

    private IEnumerable<Measurement<T>> Measure<T>(string kind, Func<ComponentCounter, T?> read)
        where T : struct
    {
        var counters = components();
        for (var i = 0; i < counters.Count; i++) // indexed: no enumerator per collection
        {
            var counter = counters[i];
            if (counter.Kind == kind && read(counter) is { } value)
            {
                yield return new Measurement<T>(value,
                    new KeyValuePair<string, object?>("component", counter.Name),
                    new KeyValuePair<string, object?>("type", counter.ComponentType));
            }
        }
    }
}
