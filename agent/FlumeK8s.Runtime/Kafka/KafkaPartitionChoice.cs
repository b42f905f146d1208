using System.Globalization;
using Confluent.Kafka;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// Flume's partition rule, shared by the Kafka sink and channel: the partition named by the
/// <c>partitionIdHeader</c> header, else <c>defaultPartitionId</c>, else the client's partitioner
/// (by key). A header that is not a partition number falls back to the default, so one bad event
/// cannot stop the sink, and is reported.
/// </summary>
internal readonly record struct KafkaPartitionChoice(string? PartitionIdHeader, int? DefaultPartitionId)
{
    public Partition For(Event @event, out string? badHeaderValue)
    {
        badHeaderValue = null;
        if (PartitionIdHeader is not null && @event.GetHeader(PartitionIdHeader) is { } text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return new Partition(id);
            }
            badHeaderValue = text;
        }
        return DefaultPartitionId is { } fixedId ? new Partition(fixedId) : Partition.Any;
    }
}
