using System.Buffers;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Serialization;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>A line-oriented serializer shared with file_roll (TEXT, HEADER_AND_TEXT): no header, nothing held back.</summary>
internal sealed class TextFileEncoder(IEventSerializer serializer) : IFileEncoder
{
    public void WriteFileHeader(IBufferWriter<byte> output)
    {
    }

    public void Write(Event @event, IBufferWriter<byte> output) => serializer.Write(@event, output);

    public void EndBatch(IBufferWriter<byte> output)
    {
    }
}
