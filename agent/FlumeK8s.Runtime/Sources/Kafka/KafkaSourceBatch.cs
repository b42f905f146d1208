using System.Globalization;
using System.Text;
using Confluent.Kafka;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Sources.Delivery;

namespace FlumeK8s.Runtime.Sources.Kafka;

/// <summary>
/// The records read since the last commit, as event drafts with Flume's headers, and the offsets
/// to commit once the channel took them. Records of a partition the consumer lost before the
/// batch was delivered are dropped from it: their new owner reads them again from the last
/// committed offset, so dropping them here avoids a duplicate rather than losing anything.
/// </summary>
internal sealed class KafkaSourceBatch(KafkaSourceSettings settings)
{
    public const string TimestampHeader = "timestamp";
    public const string PartitionHeader = "partition";
    public const string OffsetHeader = "offset";
    public const string KeyHeader = "key";

    private readonly List<EventDraft> _drafts = new(settings.BatchSize);
    private readonly List<TopicPartition> _sources = new(settings.BatchSize);

    public PartitionOffsets Offsets { get; } = new();

    public IReadOnlyList<EventDraft> Drafts => _drafts;

    public int Count => _drafts.Count;

    /// <summary>Adds one record; false when its value is not the Flume event it should be (it is kept, raw, as the body).</summary>
    public bool Add(ConsumeResult<byte[]?, byte[]?> record, long nowMillis)
    {
        var wellFormed = true;
        byte[] body;
        Dictionary<string, string>? headers;
        try
        {
            (body, headers) = KafkaRecordCodec.Decode(record.Message.Value, record.Message.Headers, settings.UseFlumeEventFormat);
        }
        catch (AvroFormatException)
        {
            (body, headers) = (record.Message.Value ?? [], null);
            wellFormed = false;
        }
        headers ??= new Dictionary<string, string>(5, StringComparer.Ordinal);
        headers.TryAdd(TimestampHeader, nowMillis.ToString(CultureInfo.InvariantCulture));
        if (settings.SetTopicHeader)
        {
            headers.TryAdd(settings.TopicHeader, record.Topic);
        }
        headers.TryAdd(PartitionHeader, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        headers.TryAdd(OffsetHeader, record.Offset.Value.ToString(CultureInfo.InvariantCulture));
        if (record.Message.Key is { } key)
        {
            headers[KeyHeader] = Encoding.UTF8.GetString(key);
        }
        _drafts.Add(new EventDraft(body, headers));
        _sources.Add(record.TopicPartition);
        Offsets.Add(record.TopicPartition, record.Offset.Value);
        return wellFormed;
    }

    public void Forget(IReadOnlyCollection<TopicPartition> lost)
    {
        if (!Offsets.Forget(lost))
        {
            return;
        }
        var lostSet = lost.ToHashSet();
        for (var i = _drafts.Count - 1; i >= 0; i--)
        {
            if (lostSet.Contains(_sources[i]))
            {
                _drafts.RemoveAt(i);
                _sources.RemoveAt(i);
            }
        }
    }

    public void Clear()
    {
        _drafts.Clear();
        _sources.Clear();
        Offsets.Clear();
    }
}
