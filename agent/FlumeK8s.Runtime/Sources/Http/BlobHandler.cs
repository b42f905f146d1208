using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.Network;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Flume's BlobHandler: the whole request body is one event and the query parameters are its
/// headers (the first value of each). Flume truncates a body over maxBlobLength and keeps the
/// truncated event; this handler refuses it with 413 instead, so no data is silently cut.
/// </summary>
internal sealed class BlobHandler(BlobHandlerSettings settings) : IHttpSourceHandler
{
    public async Task<List<Event>> GetEventsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string>? headers = null;
        foreach (var (key, values) in request.Query)
        {
            (headers ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = values.Count > 0 ? values[0] ?? "" : "";
        }
        return [new Event(body, headers)];
    }

    /// <summary>The body in an array of exactly its length, grown as the bytes arrive.</summary>
    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var max = settings.MaxBlobLength;
        var declared = request.ContentLength;
        if (declared > max)
        {
            throw TooLarge(declared);
        }
        // With a Content-Length exactly that much comes; without, one byte past the limit shows the body is too long.
        var limit = (int)(declared ?? Math.Min(max + 1L, Array.MaxLength));
        var (body, length) = await ArrivingBytes.ReadAsync(request.Body, limit, onGrow: null, cancellationToken).ConfigureAwait(false);
        if (length > max)
        {
            throw TooLarge(null);
        }
        if (length < declared)
        {
            throw new HttpSourceRequestException($"the request body ended after {length} of its Content-Length of {declared} bytes");
        }
        return length == body.Length ? body : body[..length];
    }

    private HttpSourceRequestException TooLarge(long? declared) => new(
        $"the request body{(declared is { } size ? $" ({size} bytes)" : "")} is larger than maxBlobLength ({settings.MaxBlobLength} bytes)",
        StatusCodes.Status413PayloadTooLarge);
}
