using System.IO.Pipelines;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Reads Avro's Netty framing from a connection, in time linear in the bytes received however
/// they are split. Declared counts and lengths are checked as soon as they arrive, so a frame
/// claiming more than <c>maxFrameBytes</c> fails at once instead of waiting for (or buffering)
/// bytes that should never come.
/// </summary>
internal sealed class NettyFrameReader(PipeReader input, int maxFrameBytes)
{
    private readonly NettyFrameDecoder _decoder = new(maxFrameBytes);

    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    /// <exception cref="AvroFormatException">The bytes are not a frame, or the connection ended inside one.</exception>
    public async ValueTask<NettyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            bool decoded;
            NettyFrame frame;
            try
            {
                decoded = _decoder.TryDecode(ref buffer, out frame);
            }
            catch (AvroFormatException)
            {
                // The frame is refused: drop what arrived of it, so the reader stays usable to drain the rest.
                input.AdvanceTo(read.Buffer.End);
                throw;
            }
            if (decoded)
            {
                input.AdvanceTo(buffer.Start);
                return frame;
            }
            if (read.IsCompleted)
            {
                var received = _decoder.Received + buffer.Length;
                input.AdvanceTo(buffer.End);
                return received == 0
                    ? null
                    : throw new AvroFormatException($"Connection closed inside a frame ({received} bytes of it received)");
            }
            // What the decoder left is an incomplete field of a few bytes: only those are looked at again.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
