using System.Buffers;
using Avro;
using Avro.File;
using FlumeK8s.Runtime.Avro;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>
/// Flume's AVRO_EVENT: an Avro object container file written by Apache.Avro's
/// <see cref="DataFileWriter{T}"/> (the schema and codec in its metadata, a random 16-byte sync
/// marker, blocks of records each followed by the marker) whose records are Flume's Event schema,
/// headers as map&lt;string&gt; and body as bytes. A block is cut when it reaches
/// <c>syncIntervalBytes</c> and at the end of every batch, so the flushed part of a file always
/// ends on a block boundary and reads as a complete container.
/// </summary>
internal sealed class AvroContainerEncoder : IFileEncoder
{
    /// <summary>The record schema of Flume's AvroEventSerializer, so files read the same as Flume's.</summary>
    public static readonly RecordSchema Schema = (RecordSchema)global::Avro.Schema.Parse(
        """{"type":"record","name":"Event","fields":[{"name":"headers","type":{"type":"map","values":"string"}},{"name":"body","type":"bytes"}]}""");

    private static readonly FlumeEventDatumWriter Writer = new(Schema);

    // Each call points the stream at the buffer it was given, so everything the writer emits in
    // that call (the header, a finished block) lands there; records wait in the writer's open block.
    private readonly BufferWriterStream _output = new();
    private readonly IFileWriter<Event> _file;

    public AvroContainerEncoder(int syncIntervalBytes, AvroCodec codec)
    {
        _file = DataFileWriter<Event>.OpenWriter(Writer, _output, Codec.CreateCodec(codec == AvroCodec.Deflate ? Codec.Type.Deflate : Codec.Type.Null), leaveOpen: true);
        _file.SetSyncInterval(syncIntervalBytes);
    }

    // Flush writes the header the first time, then the open block if it holds any record.
    public void WriteFileHeader(IBufferWriter<byte> output) => WriteTo(output, 0, static (file, _) => file.Flush());

    public void Write(Event @event, IBufferWriter<byte> output) => WriteTo(output, @event, static (file, e) => file.Append(e));

    public void EndBatch(IBufferWriter<byte> output) => WriteTo(output, 0, static (file, _) => file.Flush());

    private void WriteTo<TState>(IBufferWriter<byte> output, TState state, Action<IFileWriter<Event>, TState> write)
    {
        _output.Target = output;
        try
        {
            write(_file, state);
        }
        finally
        {
            _output.Target = null;
        }
    }
}
