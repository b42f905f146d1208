using System.Text;
using FlumeK8s.Runtime.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Flume's JSONHandler: the request is a JSON array of events. The charset comes from the request's
/// Content-Type (UTF-8 when absent); as in Flume only UTF-8, UTF-16 and UTF-32 are accepted, and
/// event bodies are stored in that charset. The body is parsed as it arrives (UTF-16 and UTF-32
/// transcoded to UTF-8 on the way), so a request costs about its events, not its text as well.
/// </summary>
internal sealed class JsonHandler : IHttpSourceHandler
{
    public async Task<List<Event>> GetEventsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var charset = RequestCharset(request);
        if (charset is null)
        {
            var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return await JsonEventReader.ReadAsync(request.Body, bodyEncoding: null, request.ContentLength, limit, cancellationToken).ConfigureAwait(false);
        }
        // Transcoded, the body's UTF-8 length is known only as it is read.
        var utf8 = Encoding.CreateTranscodingStream(request.Body, charset, Encoding.UTF8, leaveOpen: true);
        await using (utf8.ConfigureAwait(false))
        {
            return await JsonEventReader.ReadAsync(utf8, charset, length: null, limit: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Null for UTF-8; otherwise the UTF-16 or UTF-32 encoding the request declares.</summary>
    private static Encoding? RequestCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.Charset.Length == 0)
        {
            return null;
        }
        var name = contentType.Charset.Value!.Trim('"');
        Encoding? encoding;
        try
        {
            encoding = Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            encoding = null;
        }
        return encoding switch
        {
            UTF8Encoding => null,
            UnicodeEncoding or UTF32Encoding => encoding,
            _ => throw new HttpSourceRequestException($"charset '{name}' is not supported: send UTF-8, UTF-16 or UTF-32"),
        };
    }
}
