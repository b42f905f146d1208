using System.Buffers.Binary;
using System.IO.Compression;
using FlumeK8s.Runtime.Sources.Network;
using Google.Protobuf;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// gRPC's length-prefixed message: one flag byte (1 = compressed with the stream's grpc-encoding),
/// a 4-byte big-endian length, then the (possibly compressed) protobuf bytes.
/// </summary>
internal static class GrpcFrame
{
    public const int HeaderLength = 5;

    /// <summary>Serializes <paramref name="message"/> into one frame, gzip-compressed when asked.</summary>
    public static byte[] Write(IMessage message, bool gzip)
    {
        var payload = message.ToByteArray();
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var stream = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                stream.Write(payload);
            }
            payload = compressed.ToArray();
        }
        var frame = new byte[HeaderLength + payload.Length];
        frame[0] = gzip ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(frame, HeaderLength);
        return frame;
    }

    /// <summary>
    /// Reads the next message, decompressed; null when the stream ends cleanly before a frame.
    /// Throws <see cref="GrpcStatusException"/> for a frame this side must refuse: truncated,
    /// a bad flag, compressed without an encoding, undecodable, or larger than <paramref name="maxMessageBytes"/>
    /// (before or after decompression, so a small gzip bomb cannot make it allocate more). The
    /// last is worded "larger than max" as gRPC's own implementations word it: that is how a
    /// sender tells it from a full channel and splits the batch (<see cref="GrpcRefusal"/>).
    /// The message's buffer grows as its bytes arrive, never from its announced length alone, and
    /// each growth is first taken from <paramref name="lease"/> when there is one.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, string? encoding, int maxMessageBytes, GrpcMessageLease? lease, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var read = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }
        if (read < HeaderLength)
        {
            throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, $"truncated message frame: the stream ended after {read} of the {HeaderLength} header bytes");
        }
        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, $"invalid message frame: the compressed flag is {header[0]}, not 0 or 1"),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1, 4));
        if (length > (uint)maxMessageBytes)
        {
            throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {maxMessageBytes})");
        }
        lease?.Admit(length);
        var payload = await ReadPayloadAsync(stream, (int)length, lease, cancellationToken).ConfigureAwait(false);
        if (!compressed)
        {
            return payload;
        }
        if (GrpcProtocol.IsIdentity(encoding))
        {
            throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, "a message is marked compressed but the stream declares no grpc-encoding");
        }
        if (!GrpcProtocol.IsGzip(encoding))
        {
            throw new GrpcStatusException(GrpcStatusCode.Unimplemented, $"message encoding '{encoding}' is not supported (supported: {GrpcProtocol.SupportedEncodings})");
        }
        return Gunzip(payload, maxMessageBytes, lease);
    }

    private static async Task<byte[]> ReadPayloadAsync(Stream stream, int length, GrpcMessageLease? lease, CancellationToken cancellationToken)
    {
        var (payload, read) = await ArrivingBytes.ReadAsync(stream, length, lease is null ? null : lease.Take, cancellationToken).ConfigureAwait(false);
        return read == length
            ? payload
            : throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, $"truncated message: the stream ended after {read} of its {length} bytes");
    }

    private static byte[] Gunzip(byte[] payload, int maxMessageBytes, GrpcMessageLease? lease)
    {
        using var input = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                if (output.Length + n > maxMessageBytes)
                {
                    throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"Received message larger than max (more than {maxMessageBytes} bytes once decompressed)");
                }
                lease?.Take(n);
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, $"the message is not valid gzip: {e.Message}", e);
        }
        return output.ToArray();
    }
}
