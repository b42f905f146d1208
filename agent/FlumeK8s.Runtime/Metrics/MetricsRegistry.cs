using System.Collections.Concurrent;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>The counters of the running topology, keyed as Flume keys them (<c>CHANNEL.c1</c>).</summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, ComponentCounter> _counters = new(StringComparer.Ordinal);
    private long _reloadFailures;
    private long _reloadSuccesses;

    public void Register(ComponentCounter counter) => _counters[counter.Key] = counter;

    public void Unregister(ComponentCounter counter) =>
        _counters.TryRemove(new KeyValuePair<string, ComponentCounter>(counter.Key, counter));

    public IReadOnlyList<ComponentCounter> Counters =>
        [.. _counters.Values.OrderBy(c => c.Key, StringComparer.Ordinal)];

    public ComponentCounter? Find(string key) => _counters.GetValueOrDefault(key);

    public long ConfigReloadFailures => Interlocked.Read(ref _reloadFailures);

    public long ConfigReloadSuccesses => Interlocked.Read(ref _reloadSuccesses);

    public void CountReload(bool succeeded) =>
        Interlocked.Increment(ref succeeded ? ref _reloadSuccesses : ref _reloadFailures);
}
