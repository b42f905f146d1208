using FlumeK8s.Runtime.Events;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Flume's BlobHandler: the whole request body is one event and the query parameters are its
/// headers (the first value of each). Flume truncates a body over maxBlobLength and keeps the
/// truncated event; this handler refuses it with 413 instead, so no data is silently cut.
/// </summary>
internal sealed class BlobHandler(BlobHandlerSettings settings) : IHttpSourceHandler
{
    // Up to this size the declared length is allocated at once; a larger claim is only believed
    // as its bytes arrive, so a header alone cannot make the server reserve maxBlobLength.
    private const long DirectReadLimit = 1024 * 1024;

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

    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var length = request.ContentLength;
        if (length > settings.MaxBlobLength)
        {
            throw new HttpSourceRequestException(
                $"the request body ({length} bytes) is larger than maxBlobLength ({settings.MaxBlobLength} bytes)", StatusCodes.Status413PayloadTooLarge);
        }
        if (length is not { } known || known > DirectReadLimit)
        {
            using var pooled = await PooledRequestBody.ReadAsync(request, settings.MaxBlobLength, cancellationToken).ConfigureAwait(false);
            return pooled.Span.ToArray();
        }
        // A small known length: read straight into the event's body, with no copy.
        var body = new byte[known];
        try
        {
            await request.Body.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new HttpSourceRequestException($"the request body ended before its Content-Length of {known} bytes");
        }
        return body;
    }
}
