namespace FlumeK8s.Runtime.Sources.Network;

/// <summary>
/// Reads a stream into one array that grows, doubling, as the bytes arrive; never sized from a
/// length the peer only announced, so a sender that stalls has cost what it sent, not what it
/// promised. Doubling keeps the copying linear in the bytes read.
/// </summary>
internal static class ArrivingBytes
{
    private const int FirstBytes = 16 * 1024;

    /// <summary>
    /// Reads until the stream ends or <paramref name="limit"/> bytes are in. When the limit is
    /// reached the array is exactly that long; otherwise only the first <c>Length</c> bytes count.
    /// </summary>
    /// <param name="onGrow">Told each growth in bytes before it happens: to account for it, or to refuse it by throwing.</param>
    public static async Task<(byte[] Bytes, int Length)> ReadAsync(Stream stream, int limit, Action<long>? onGrow, CancellationToken cancellationToken)
    {
        var bytes = Array.Empty<byte>();
        var length = 0;
        while (length < limit)
        {
            if (length == bytes.Length)
            {
                var size = (int)Math.Min(limit, Math.Max(FirstBytes, bytes.Length * 2L));
                onGrow?.Invoke(size - bytes.Length);
                Array.Resize(ref bytes, size);
            }
            var read = await stream.ReadAsync(bytes.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        return (bytes, length);
    }
}
