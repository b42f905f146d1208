using Avro;
using Avro.Generic;
using Avro.IO;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Avro;

/// <summary>
/// Writes an <see cref="Event"/> as the records Flume gives events in Avro, <c>{map&lt;string&gt;
/// headers; bytes body}</c> (named <c>Event</c> in avro_event files, <c>AvroFlumeEvent</c> in the
/// RPC protocol), through Apache.Avro's <see cref="Encoder"/>. Driven by hand rather than through a
/// GenericRecord, which would copy every event into a dictionary of objects first.
/// </summary>
internal sealed class FlumeEventDatumWriter : DatumWriter<Event>
{
    public FlumeEventDatumWriter(RecordSchema schema)
    {
        // The writer writes exactly these two fields in this order: refuse a schema that says otherwise.
        if (schema.Fields is not [{ Name: "headers", Schema: MapSchema { ValueSchema.Tag: Schema.Type.String } }, { Name: "body", Schema.Tag: Schema.Type.Bytes }])
        {
            throw new ArgumentException($"Schema {schema.Fullname} is not Flume's event record {{map<string> headers; bytes body}}", nameof(schema));
        }
        Schema = schema;
    }

    public Schema Schema { get; }

    public void Write(Event datum, Encoder encoder)
    {
        var headers = datum.HeadersOrEmpty;
        encoder.WriteMapStart();
        encoder.SetItemCount(headers.Count);
        foreach (var (key, value) in headers)
        {
            encoder.StartItem();
            encoder.WriteString(key);
            encoder.WriteString(value);
        }
        encoder.WriteMapEnd();
        encoder.WriteBytes(datum.Body);
    }
}
