using System.Buffers;
using System.Buffers.Binary;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Writes Avro's Netty framing: int32 serial, int32 buffer count, then each buffer as int32
/// length and bytes, all big-endian. The message goes as one buffer (none when empty): where
/// buffers are split carries no meaning. Each frame is flushed, which also ends a deflate block
/// so the peer can inflate the whole message at once.
/// </summary>
internal sealed class NettyFrameWriter(Stream output)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>Frames <paramref name="payload"/> into bytes (without sending them).</summary>
    public static void Encode(IBufferWriter<byte> output, int serial, ReadOnlySpan<byte> payload)
    {
        var header = output.GetSpan(12);
        BinaryPrimitives.WriteInt32BigEndian(header, serial);
        if (payload.IsEmpty)
        {
            BinaryPrimitives.WriteInt32BigEndian(header[4..], 0);
            output.Advance(8);
            return;
        }
        BinaryPrimitives.WriteInt32BigEndian(header[4..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], payload.Length);
        output.Advance(12);
        output.Write(payload);
    }

    public async ValueTask WriteAsync(int serial, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        Encode(_buffer, serial, payload.Span);
        await output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
