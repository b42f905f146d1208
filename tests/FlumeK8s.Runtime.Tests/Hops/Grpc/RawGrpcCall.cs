using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>Hand-made HTTP/2 requests to a grpc source, to send what no well-behaved client would.</summary>
internal static class RawGrpcCall
{
    public const string Path = "/flumek8s.v1.Hop/AppendBatch";

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    public static byte[] Frame(byte[] payload, byte flag = 0, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), declaredLength ?? payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Sends <paramref name="body"/>; returns the HTTP status and the gRPC status (from headers or trailers) with its message.</summary>
    public static Task<(HttpStatusCode Http, int? Grpc, string Message)> SendAsync(
        int port, byte[] body, string contentType = "application/grpc", string path = Path, string? encoding = null, string? timeout = null) =>
        SendAsync(port, new ByteArrayContent(body), contentType, path, encoding, timeout);

    /// <summary>Sends <paramref name="body"/>; returns the HTTP status and the gRPC status (from headers or trailers) with its message.</summary>
    public static async Task<(HttpStatusCode Http, int? Grpc, string Message)> SendAsync(
        int port, HttpContent body, string contentType = "application/grpc", string path = Path, string? encoding = null, string? timeout = null)
    {
        using var http = Client();
        using var request = Request(port, body, contentType, path, timeout);
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }
        using var response = await http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(20));
        await response.Content.ReadAsByteArrayAsync();
        var headers = response.Headers.Contains("grpc-status") ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        int? status = headers.TryGetValues("grpc-status", out var values) ? int.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture) : null;
        var message = headers.TryGetValues("grpc-message", out var messages) ? Uri.UnescapeDataString(messages.First()) : "";
        return (response.StatusCode, status, message);
    }

    /// <summary>An HTTP/2 client for raw calls; one may carry many calls at once, as streams of one connection.</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Starts a call that sends <paramref name="start"/> and then nothing until <paramref name="stalled"/>
    /// is cancelled: a client stuck mid-request. The task ends with the response's headers, or fails
    /// once the call is given up.
    /// </summary>
    public static async Task<HttpResponseMessage> SendStalledAsync(HttpClient http, int port, byte[] start, CancellationToken stalled, string? timeout = null)
    {
        // Not disposed here: over HTTP/2 the request's body is still being sent after the response's headers came back.
        var request = Request(port, new StalledContent(start, stalled), "application/grpc", Path, timeout);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stalled);
    }

    private static HttpRequestMessage Request(int port, HttpContent content, string contentType, string path, string? timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{path}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (timeout is not null)
        {
            request.Headers.Add("grpc-timeout", timeout);
        }
        return request;
    }
}
