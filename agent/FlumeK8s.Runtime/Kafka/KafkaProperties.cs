namespace FlumeK8s.Runtime.Kafka;

/// <summary>librdkafka properties in key order, compared by content so a reload with the same configuration sees no change.</summary>
internal sealed class KafkaProperties : IEquatable<KafkaProperties>
{
    public KafkaProperties(IEnumerable<KeyValuePair<string, string>> items)
    {
        Items = [.. items.OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    public IReadOnlyList<KeyValuePair<string, string>> Items { get; }

    public string? this[string key] => Items.FirstOrDefault(p => p.Key == key).Value;

    public bool Equals(KafkaProperties? other) => other is not null && Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => Equals(obj as KafkaProperties);

    public override int GetHashCode() => Items.Aggregate(0, (hash, p) => HashCode.Combine(hash, p.Key, p.Value));
}
