using System.Buffers;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Serialization;

/// <summary>Flume's <c>TEXT</c> serializer: the body as is, then a newline unless <c>appendNewline=false</c>.</summary>
internal sealed class BodyTextSerializer(bool appendNewline) : IEventSerializer
{
    public void Write(Event @event, IBufferWriter<byte> output)
    {
        output.Write(@event.Body);
        if (appendNewline)
        {
            output.Write("\n"u8);
        }
    }
}
