using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Serialization;

/// <summary>
/// Flume's <c>HEADER_AND_TEXT</c> serializer: the headers as Java prints a map
/// (<c>{k=v, k2=v2}</c>, <c>{}</c> when there are none), a space, the body, then a newline unless
/// <c>appendNewline=false</c>. Headers appear in the order they were set.
/// </summary>
internal sealed class HeaderAndBodyTextSerializer(bool appendNewline) : IEventSerializer
{
    private readonly StringBuilder _headers = new();

    public void Write(Event @event, IBufferWriter<byte> output)
    {
        _headers.Clear().Append('{');
        var first = true;
        foreach (var (key, value) in @event.HeadersOrEmpty)
        {
            if (!first)
            {
                _headers.Append(", ");
            }
            _headers.Append(key).Append('=').Append(value);
            first = false;
        }
        _headers.Append("} ");
        foreach (var chunk in _headers.GetChunks())
        {
            Encoding.UTF8.GetBytes(chunk.Span, output);
        }
        output.Write(@event.Body);
        if (appendNewline)
        {
            output.Write("\n"u8);
        }
    }
}
