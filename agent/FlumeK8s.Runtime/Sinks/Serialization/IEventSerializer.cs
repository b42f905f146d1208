using System.Buffers;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Serialization;

/// <summary>Turns one event into the bytes a file holds for it (file_roll and hdfs share these). Does no I/O.</summary>
internal interface IEventSerializer
{
    void Write(Event @event, IBufferWriter<byte> output);
}
