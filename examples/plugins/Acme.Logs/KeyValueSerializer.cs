using System.Buffers;
using System.Text;
using FlumeK8s.Plugins;

namespace Acme.Logs;

/// <summary>
/// Writes an event as its headers (<c>key=value</c>, space-separated), <c>separator</c> (default
/// <c> | </c>), the body and a newline: for <c>file_roll</c>'s <c>sink.serializer</c> or <c>hdfs</c>'s
/// <c>serializer</c>. Encodes straight into the sink's buffer.
/// </summary>
[PluginAlias("acme-kv")]
public sealed class KeyValueSerializer(IComponentSettings settings) : IEventSerializerPlugin
{
    private readonly byte[] _separator = Encoding.UTF8.GetBytes(settings.GetString("separator", " | "));

    public void Write(IEvent @event, IBufferWriter<byte> output)
    {
        var first = true;
        foreach (var (key, value) in @event.Headers)
        {
            if (!first)
            {
                output.Write(" "u8);
            }
            first = false;
            Encoding.UTF8.GetBytes(key, output);
            output.Write("="u8);
            Encoding.UTF8.GetBytes(value, output);
        }
        output.Write(_separator);
        output.Write(@event.Body);
        output.Write("\n"u8);
    }
}
