using System.IO.Compression;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>
/// CompressedStream with gzip: every flushed batch becomes one complete gzip member (header,
/// deflate data, CRC and length trailer). RFC 1952 readers (gzip -d, Hadoop's GzipCodec) read
/// concatenated members as one stream, so a file cut off by a crash after any flush still
/// decompresses up to the last flushed batch; one long-running member would end in a truncated
/// deflate stream that no reader accepts. The cost is ~20 bytes and a fresh dictionary per batch.
/// </summary>
internal sealed class GzipMembers
{
    private readonly MemoryStream _output = new();

    public ReadOnlyMemory<byte> Compress(ReadOnlySpan<byte> batch)
    {
        _output.SetLength(0);
        using (var gzip = new GZipStream(_output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(batch);
        }
        return _output.GetBuffer().AsMemory(0, (int)_output.Length);
    }
}
