using System.Buffers;
using System.IO.Pipelines;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Reads Avro's Netty framing from a connection. Declared counts and lengths are checked as soon
/// as they arrive, so a frame claiming more than <c>maxFrameBytes</c> fails at once instead of
/// waiting for (or buffering) bytes that should never come.
/// </summary>
internal sealed class NettyFrameReader(PipeReader input, int maxFrameBytes)
{
    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    /// <exception cref="AvroFormatException">The bytes are not a frame, or the connection ended inside one.</exception>
    public async ValueTask<NettyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            bool parsed;
            NettyFrame frame;
            SequencePosition consumed;
            try
            {
                parsed = TryParse(buffer, maxFrameBytes, out frame, out consumed);
            }
            catch (AvroFormatException)
            {
                // The frame is refused: drop what arrived of it, so the reader stays usable to drain the rest.
                input.AdvanceTo(buffer.End);
                throw;
            }
            if (parsed)
            {
                input.AdvanceTo(consumed);
                return frame;
            }
            if (read.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return buffer.IsEmpty
                    ? null
                    : throw new AvroFormatException($"Connection closed inside a frame ({buffer.Length} bytes of it received)");
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Parses one whole frame from the start of <paramref name="buffer"/>, if it is all there.</summary>
    public static bool TryParse(in ReadOnlySequence<byte> buffer, int maxFrameBytes, out NettyFrame frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out int serial) || !reader.TryReadBigEndian(out int count))
        {
            return false;
        }
        // Every buffer costs at least its 4-byte length, which bounds the count a frame may declare.
        if (count < 0 || count > maxFrameBytes / 4)
        {
            throw count < 0
                ? new AvroFormatException($"Frame {serial} declares {count} buffers")
                : new NettyFrameTooLargeException(serial, $"Frame {serial} declares {count} buffers (at most {maxFrameBytes / 4} allowed)");
        }
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadBigEndian(out int length))
            {
                return false;
            }
            total += length;
            if (length < 0)
            {
                throw new AvroFormatException($"Frame {serial} declares a buffer of {length} bytes");
            }
            if (total > maxFrameBytes)
            {
                throw new NettyFrameTooLargeException(serial, $"Frame {serial} declares at least {total} bytes, over the {maxFrameBytes}-byte frame limit");
            }
            if (reader.Remaining < length)
            {
                return false;
            }
            reader.Advance(length);
        }
        var payload = new byte[total];
        var copy = new SequenceReader<byte>(buffer.Slice(8));
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            copy.TryReadBigEndian(out int length);
            copy.TryCopyTo(payload.AsSpan(written, length));
            copy.Advance(length);
            written += length;
        }
        frame = new NettyFrame(serial, payload);
        consumed = reader.Position;
        return true;
    }
}
