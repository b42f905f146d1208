using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// A request body read into one contiguous buffer rented from the shared pool: parsers see a single
/// span, and the buffer is reused by the next request instead of becoming garbage.
/// </summary>
internal sealed class PooledRequestBody : IDisposable
{
    private const int InitialSize = 16 * 1024;

    // A declared length is only trusted this far: a client cannot make the server reserve a large
    // buffer with a header alone; beyond it the buffer grows as the bytes actually arrive.
    private const int MaxTrustedLength = 1024 * 1024;

    private byte[] _buffer;
    private int _length;

    private PooledRequestBody(int size)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(size);
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>Reads the whole body; a body over <paramref name="maxLength"/> bytes is refused with 413.</summary>
    public static async Task<PooledRequestBody> ReadAsync(HttpRequest request, int maxLength, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > maxLength)
        {
            throw TooLarge(maxLength);
        }
        // One byte more than declared lets the read that reports the end land without growing the buffer.
        var body = new PooledRequestBody(declared is { } length ? (int)Math.Min(length + 1, Math.Min(maxLength + 1L, MaxTrustedLength)) : InitialSize);
        try
        {
            while (true)
            {
                if (body._length == body._buffer.Length)
                {
                    body.Grow(maxLength);
                }
                var read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return body;
                }
                body._length += read;
                if (body._length > maxLength)
                {
                    throw TooLarge(maxLength);
                }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _length = 0;
    }

    private void Grow(int maxLength)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(_buffer.Length * 2L, maxLength + 1L));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private static HttpSourceRequestException TooLarge(int maxLength) =>
        new($"the request body is larger than {maxLength} bytes", StatusCodes.Status413PayloadTooLarge);
}
