using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Feeds a request body to a <see cref="JsonEventParser"/> as it arrives, holding only the bytes of
/// the token not yet complete. An unfinished token is offered again only once the bytes waiting
/// have doubled, so a token trickling in a byte at a time costs linear time, not quadratic; and the
/// buffer grows only as bytes arrive, never past what the body can still bring.
/// </summary>
internal static class JsonEventReader
{
    private const int FirstBufferBytes = 16 * 1024;

    /// <summary>Parses UTF-8 JSON from <paramref name="body"/> as it is read.</summary>
    /// <param name="bodyEncoding">The encoding event bodies are stored in when it is not UTF-8 (the request's charset, as Flume does).</param>
    /// <param name="length">The body's exact length, when known (Content-Length).</param>
    /// <param name="limit">The most the body may bring, when the server refuses more: with the length, what the buffer never grows past.</param>
    public static async Task<List<Event>> ReadAsync(Stream body, Encoding? bodyEncoding, long? length, long? limit, CancellationToken cancellationToken)
    {
        var parser = new JsonEventParser(bodyEncoding);
        var rented = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        var buffer = rented;
        int start = 0, end = 0;
        long received = 0;
        var parseAt = 1;
        try
        {
            while (true)
            {
                var ended = received == length;
                if (!ended)
                {
                    if (end == buffer.Length)
                    {
                        // Past the limit one more byte is room enough for the read that ends the body or refuses it.
                        buffer = MakeRoom(buffer, ref start, ref end, (length ?? limit + 1) - received);
                    }
                    var read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    end += read;
                    received += read;
                    ended = read == 0;
                }
                if (ended)
                {
                    parser.Parse(buffer.AsSpan(start, end - start), isFinalBlock: true);
                    return parser.Events;
                }
                if (end - start < parseAt)
                {
                    continue;
                }
                start += parser.Parse(buffer.AsSpan(start, end - start), isFinalBlock: false);
                parseAt = Math.Max(1, (end - start) * 2);
                if (start == end)
                {
                    (start, end) = (0, 0);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// A full buffer: move the waiting bytes to its front, or when they fill it, a larger buffer.
    /// Larger buffers are not rented: one sized for a large request would stay in the shared pool.
    /// </summary>
    private static byte[] MakeRoom(byte[] buffer, ref int start, ref int end, long? stillToCome)
    {
        var waiting = end - start;
        var target = buffer;
        if (start == 0)
        {
            var size = buffer.Length * 2L;
            if (stillToCome is { } more)
            {
                size = Math.Min(size, waiting + more);
            }
            target = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(size, waiting + 1L)));
        }
        buffer.AsSpan(start, waiting).CopyTo(target);
        (start, end) = (0, waiting);
        return target;
    }
}
