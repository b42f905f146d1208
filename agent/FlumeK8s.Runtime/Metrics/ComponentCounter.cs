namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// A named group of monotonic counters and gauges for one component, under Flume's names
/// (<c>SOURCE.r1</c> → <c>EventReceivedCount</c> …). Slots are plain longs updated with
/// interlocked operations, so counting on the hot path costs no allocation and no lock; once
/// registered, the slots are what the registry's instruments measure (<see cref="FlumeInstruments"/>).
/// </summary>
public abstract class ComponentCounter
{
    private readonly string[] _names;
    private readonly long[] _values;
    private long _startTime;
    private long _stopTime;

    protected ComponentCounter(string kind, string name, string componentType, IReadOnlyList<string> attributeNames)
    {
        Kind = kind;
        Name = name;
        ComponentType = componentType;
        _names = [.. attributeNames];
        _values = new long[_names.Length];
    }

    /// <summary>SOURCE, CHANNEL or SINK.</summary>
    public string Kind { get; }

    public string Name { get; }

    /// <summary>The component's type alias as configured (memory, netcat, …).</summary>
    public string ComponentType { get; }

    public string Key => $"{Kind}.{Name}";

    public long StartTime => Volatile.Read(ref _startTime);

    public long StopTime => Volatile.Read(ref _stopTime);

    public IReadOnlyList<string> AttributeNames => _names;

    public void MarkStarted(TimeProvider time)
    {
        Volatile.Write(ref _startTime, time.GetUtcNow().ToUnixTimeMilliseconds());
        Volatile.Write(ref _stopTime, 0);
    }

    public void MarkStopped(TimeProvider time) =>
        Volatile.Write(ref _stopTime, time.GetUtcNow().ToUnixTimeMilliseconds());

    public long Get(string attribute) => Volatile.Read(ref _values[IndexOf(attribute)]);

    /// <summary>The attribute's current value, or null when this component has no such attribute.</summary>
    public long? Find(string attribute)
    {
        var index = Array.IndexOf(_names, attribute);
        return index >= 0 ? Volatile.Read(ref _values[index]) : null;
    }

    /// <summary>Adds to the named attribute; throws <see cref="ArgumentException"/> when the component has none of that name.</summary>
    public void AddNamed(string attribute, long delta) => Add(IndexOf(attribute), delta);

    public void SetNamed(string attribute, long value) => Set(IndexOf(attribute), value);

    protected long Add(int slot, long delta) => Interlocked.Add(ref _values[slot], delta);

    protected void Set(int slot, long value) => Volatile.Write(ref _values[slot], value);

    protected long Read(int slot) => Volatile.Read(ref _values[slot]);

    protected int IndexOf(string attribute)
    {
        var index = Array.IndexOf(_names, attribute);
        return index >= 0 ? index : throw new ArgumentException($"{Key} has no counter '{attribute}'", nameof(attribute));
    }
}
