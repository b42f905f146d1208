using Confluent.Kafka;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// The offsets a batch read, per partition: the first (where a rollback seeks back to) and the
/// next after the last (what a commit stores). Offsets of a partition the consumer lost are
/// forgotten, so a commit never claims records another consumer now owns.
/// </summary>
internal sealed class PartitionOffsets
{
    private readonly Dictionary<TopicPartition, (long First, long Next)> _offsets = [];

    public bool IsEmpty => _offsets.Count == 0;

    public void Add(TopicPartition partition, long offset)
    {
        _offsets[partition] = _offsets.TryGetValue(partition, out var known) ? (known.First, offset + 1) : (offset, offset + 1);
    }

    public bool Contains(TopicPartition partition) => _offsets.ContainsKey(partition);

    /// <summary>Forgets the partitions in <paramref name="lost"/>; true if any was known.</summary>
    public bool Forget(IEnumerable<TopicPartition> lost)
    {
        var any = false;
        foreach (var partition in lost)
        {
            any |= _offsets.Remove(partition);
        }
        return any;
    }

    public List<TopicPartitionOffset> NextOffsets() =>
        [.. _offsets.Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value.Next)))];

    public List<TopicPartitionOffset> FirstOffsets() =>
        [.. _offsets.Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value.First)))];

    public void Clear() => _offsets.Clear();
}
