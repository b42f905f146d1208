using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// The counters of the running topology, keyed as Flume keys them (<c>CHANNEL.c1</c>), and the Meter
/// that publishes them: every registered counter's attributes are instruments of <see cref="Meter"/>
/// (<see cref="FlumeInstruments"/>), next to the reload counts and the process figures. Flume's
/// JSON, the Prometheus scrape and the OTLP push all read those instruments.
/// </summary>
public sealed class MetricsRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ComponentCounter> _counters = new(StringComparer.Ordinal);
    private readonly FlumeInstruments _instruments;
    private readonly FlumeAttributeReader _reader;
    private readonly Lock _changing = new();
    private ComponentCounter[] _sorted = [];
    private long _reloadFailures;
    private long _reloadSuccesses;

    public MetricsRegistry()
    {
        Meter = new Meter(MetricNames.Meter);
        _instruments = new FlumeInstruments(Meter, () => Counters);
        Meter.CreateObservableCounter(MetricNames.ConfigReloadSuccesses, () => ConfigReloadSuccesses);
        Meter.CreateObservableCounter(MetricNames.ConfigReloadFailures, () => ConfigReloadFailures);
        ProcessInstruments.AddTo(Meter);
        _reader = new FlumeAttributeReader(Meter, _instruments);
    }

    /// <summary>This registry's Meter. Exporters must subscribe to this instance, not just its name (<see cref="AgentMeterSubscription"/>).</summary>
    internal Meter Meter { get; }

    public void Register(ComponentCounter counter)
    {
        _instruments.Add(counter);
        lock (_changing)
        {
            _counters[counter.Key] = counter;
            _sorted = Sort();
        }
    }

    public void Unregister(ComponentCounter counter)
    {
        lock (_changing)
        {
            if (_counters.TryRemove(new KeyValuePair<string, ComponentCounter>(counter.Key, counter)))
            {
                _sorted = Sort();
            }
        }
    }

    /// <summary>
    /// The registered counters in key order. Every instrument's callback walks this on every
    /// collection, so it is an immutable array replaced on (rare) registration, read without a copy.
    /// </summary>
    public IReadOnlyList<ComponentCounter> Counters => Volatile.Read(ref _sorted);

    public ComponentCounter? Find(string key) => _counters.GetValueOrDefault(key);

    public long ConfigReloadFailures => Interlocked.Read(ref _reloadFailures);

    public long ConfigReloadSuccesses => Interlocked.Read(ref _reloadSuccesses);

    public void CountReload(bool succeeded) =>
        Interlocked.Increment(ref succeeded ? ref _reloadSuccesses : ref _reloadFailures);

    /// <summary>Every Flume attribute of every registered component, read from the instruments now.</summary>
    internal IReadOnlyList<FlumeSample> ReadFlumeAttributes() => _reader.Read();

    public void Dispose()
    {
        _reader.Dispose();
        Meter.Dispose();
    }

    private ComponentCounter[] Sort() => [.. _counters.Values.OrderBy(c => c.Key, StringComparer.Ordinal)];
}
