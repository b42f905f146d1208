using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>
/// Flume's HDFSSequenceFile without a codec: Hadoop's SequenceFile version 6, uncompressed.
/// <code>
/// header:  'S' 'E' 'Q' 6, key class and value class (Text.writeString: vint length + UTF-8),
///          isCompressed = 0, isBlockCompressed = 0, metadata (int count = 0), 16-byte sync marker
/// record:  int recordLength (key + value bytes), int keyLength, key bytes, value bytes
/// sync:    int -1, then the marker; written before a record once SyncInterval bytes have gone
///          out since the last one (counting the header), as Hadoop's Writer does
/// </code>
/// The key is a LongWritable (8 bytes, big-endian) holding the <c>timestamp</c> header, or the
/// clock when there is none or it is not a number (Flume would fail the batch for ever on the
/// latter); the value follows <c>hdfs.writeFormat</c>. Records are not compressed, so the bytes
/// flushed after any batch are a complete file and nothing is held back at the end of a batch.
/// </summary>
internal sealed class SequenceFileEncoder(SequenceFileWriteFormat format, TimeProvider time) : IFileEncoder
{
    /// <summary>Hadoop 3's SYNC_INTERVAL (5 KiB × the 20-byte sync escape); Hadoop 2 used 2,000 bytes. Readers accept any spacing.</summary>
    public const int SyncInterval = 5 * 1024 * 20;

    public const string KeyClass = "org.apache.hadoop.io.LongWritable";
    public const string BytesWritableClass = "org.apache.hadoop.io.BytesWritable";
    public const string TextClass = "org.apache.hadoop.io.Text";

    private const int KeyLength = 8;
    private const int SyncEscape = -1;

    private static readonly byte[] Magic = [(byte)'S', (byte)'E', (byte)'Q', 6];

    private readonly byte[] _sync = RandomNumberGenerator.GetBytes(16);
    private long _position;
    private long _lastSync;

    public void WriteFileHeader(IBufferWriter<byte> output)
    {
        // Once per file: built apart so its length is known for the sync spacing.
        var header = new ArrayBufferWriter<byte>(128);
        header.Write(Magic);
        HadoopWritables.WriteText(header, KeyClass);
        HadoopWritables.WriteText(header, format == SequenceFileWriteFormat.Text ? TextClass : BytesWritableClass);
        header.Write<byte>([0, 0]); // isCompressed, isBlockCompressed
        HadoopWritables.WriteInt(header, 0);
        header.Write(_sync);
        output.Write(header.WrittenSpan);
        _position += header.WrittenCount;
    }

    public void Write(Event @event, IBufferWriter<byte> output)
    {
        if (_position >= _lastSync + SyncInterval)
        {
            HadoopWritables.WriteInt(output, SyncEscape);
            output.Write(_sync);
            _position += 4 + _sync.Length;
            _lastSync = _position;
        }
        var body = @event.Body;
        var lengthBytes = format == SequenceFileWriteFormat.Text ? HadoopWritables.VLongSize(body.Length) : 4;
        var valueLength = lengthBytes + body.Length;
        HadoopWritables.WriteInt(output, KeyLength + valueLength);
        HadoopWritables.WriteInt(output, KeyLength);
        HadoopWritables.WriteLong(output, Timestamp(@event));
        if (format == SequenceFileWriteFormat.Text)
        {
            HadoopWritables.WriteVLong(output, body.Length);
        }
        else
        {
            HadoopWritables.WriteInt(output, body.Length);
        }
        output.Write(body);
        _position += 8 + KeyLength + valueLength;
    }

    public void EndBatch(IBufferWriter<byte> output)
    {
    }

    private long Timestamp(Event @event) =>
        long.TryParse(@event.GetHeader("timestamp"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : time.GetUtcNow().ToUnixTimeMilliseconds();
}
