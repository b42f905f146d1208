using System.Buffers;
using System.Text;
using Confluent.Kafka;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// How an event becomes a Kafka record value and back. In Flume's event format the value is an
/// Avro-binary <c>AvroFlumeEvent</c> (headers and body), which is what Flume's Kafka channel and
/// <c>useFlumeEventFormat</c> write and read; otherwise the value is the body and the headers
/// travel as Kafka record headers (UTF-8 values).
/// </summary>
internal static class KafkaRecordCodec
{
    public static byte[] EncodeValue(Event @event, bool flumeEventFormat, ArrayBufferWriter<byte> scratch)
    {
        if (!flumeEventFormat)
        {
            return @event.Body;
        }
        scratch.ResetWrittenCount();
        AvroFlumeEventCodec.Write(scratch, @event);
        return scratch.WrittenSpan.ToArray();
    }

    // Shared and never added to: given null headers, the client would allocate an empty set per record.
    private static readonly Headers NoHeaders = [];

    /// <summary>The event's headers as Kafka headers, or an empty set when they travel inside the value (or there are none).</summary>
    public static Headers EncodeHeaders(Event @event, bool flumeEventFormat)
    {
        if (flumeEventFormat || !@event.HasHeaders)
        {
            return NoHeaders;
        }
        var headers = new Headers();
        foreach (var (key, value) in @event.HeadersOrEmpty)
        {
            headers.Add(key, Encoding.UTF8.GetBytes(value));
        }
        return headers;
    }

    /// <summary>Reads a record value; throws <see cref="AvroFormatException"/> when Flume's format was expected and the bytes are not one.</summary>
    public static (byte[] Body, Dictionary<string, string>? Headers) Decode(byte[]? value, Headers? kafkaHeaders, bool flumeEventFormat)
    {
        if (flumeEventFormat)
        {
            var reader = new AvroReader(value ?? []);
            var decoded = AvroFlumeEventCodec.Read(ref reader);
            if (reader.Remaining != 0)
            {
                throw new AvroFormatException($"{reader.Remaining} bytes follow the AvroFlumeEvent record");
            }
            return (decoded.Body, decoded.HasHeaders ? decoded.Headers : null);
        }
        Dictionary<string, string>? headers = null;
        if (kafkaHeaders is { Count: > 0 })
        {
            headers = new Dictionary<string, string>(kafkaHeaders.Count, StringComparer.Ordinal);
            foreach (var header in kafkaHeaders)
            {
                headers[header.Key] = Encoding.UTF8.GetString(header.GetValueBytes() ?? []);
            }
        }
        return (value ?? [], headers);
    }
}
