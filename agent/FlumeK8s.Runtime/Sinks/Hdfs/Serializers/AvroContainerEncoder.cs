using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>
/// Flume's AVRO_EVENT: an Avro object container file (magic <c>Obj\x01</c>, metadata with the
/// schema and codec, a random 16-byte sync marker, then blocks of records each followed by the
/// marker) whose records are Flume's Event schema, headers as map&lt;string&gt; and body as bytes.
/// A block is cut when it reaches <c>syncIntervalBytes</c> and at the end of every batch, so the
/// flushed part of a file always ends on a block boundary and reads as a complete container.
/// </summary>
internal sealed class AvroContainerEncoder(int syncIntervalBytes, AvroCodec codec) : IFileEncoder
{
    public const string Schema =
        """{"type":"record","name":"Event","fields":[{"name":"headers","type":{"type":"map","values":"string"}},{"name":"body","type":"bytes"}]}""";

    private static readonly byte[] Magic = [(byte)'O', (byte)'b', (byte)'j', 1];

    private readonly byte[] _sync = RandomNumberGenerator.GetBytes(16);
    private readonly ArrayBufferWriter<byte> _block = new(4096);
    private MemoryStream? _deflated;
    private long _count;

    public void WriteFileHeader(IBufferWriter<byte> output)
    {
        output.Write(Magic);
        AvroEncoder.WriteBytesMap(output, new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["avro.schema"] = Encoding.UTF8.GetBytes(Schema),
            ["avro.codec"] = Encoding.UTF8.GetBytes(codec == AvroCodec.Deflate ? "deflate" : "null"),
        });
        output.Write(_sync);
    }

    public void Write(Event @event, IBufferWriter<byte> output)
    {
        AvroEncoder.WriteStringMap(_block, @event.HeadersOrEmpty);
        AvroEncoder.WriteBytes(_block, @event.Body);
        _count++;
        if (_block.WrittenCount >= syncIntervalBytes)
        {
            WriteBlock(output);
        }
    }

    public void EndBatch(IBufferWriter<byte> output)
    {
        if (_count > 0)
        {
            WriteBlock(output);
        }
    }

    private void WriteBlock(IBufferWriter<byte> output)
    {
        var data = _block.WrittenSpan;
        if (codec == AvroCodec.Deflate)
        {
            // Avro's deflate codec is raw deflate (RFC 1951), no zlib header.
            _deflated ??= new MemoryStream();
            _deflated.SetLength(0);
            using (var deflate = new DeflateStream(_deflated, CompressionLevel.Optimal, leaveOpen: true))
            {
                deflate.Write(data);
            }
            data = _deflated.GetBuffer().AsSpan(0, (int)_deflated.Length);
        }
        AvroEncoder.WriteLong(output, _count);
        AvroEncoder.WriteLong(output, data.Length);
        output.Write(data);
        output.Write(_sync);
        _block.ResetWrittenCount();
        _count = 0;
    }
}
