using System.Net;
using System.Text;
using System.Text.Json;

namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>
/// HDFS through the WebHDFS REST API (<c>/webhdfs/v1</c> on the NameNode's HTTP address).
/// CREATE and APPEND follow the two-step protocol by hand: the NameNode answers 307 with a
/// DataNode Location, and the data goes there; an APPEND returns once the DataNode pipeline has
/// acknowledged the bytes and closed the block, which is what the sink treats as its hflush.
/// Authentication is Hadoop's simple <c>user.name</c> and/or a <c>delegation</c> token. Every call
/// is bounded by <c>hdfs.callTimeout</c>; errors carry the RemoteException the server sent.
/// </summary>
internal sealed class WebHdfsFileSystem : IHdfsFileSystem
{
    private readonly HttpClient _http;
    private readonly Uri _nameNode;
    private readonly string _authQuery;
    private readonly TimeSpan _callTimeout;

    public WebHdfsFileSystem(Uri nameNode, string? user, string? delegationToken, TimeSpan callTimeout)
    {
        _nameNode = nameNode;
        _callTimeout = callTimeout;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var auth = new StringBuilder();
        if (user is not null)
        {
            auth.Append("&user.name=").Append(Uri.EscapeDataString(user));
        }
        if (delegationToken is not null)
        {
            auth.Append("&delegation=").Append(Uri.EscapeDataString(delegationToken));
        }
        _authQuery = auth.ToString();
    }

    // Not checked ahead: a NameNode that cannot be reached (or refuses) is a delivery failure,
    // retried with each batch while the events wait in the channel, not a reason to stop receiving.
    public Task EnsureWritableDirectoryAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (!await BooleanAsync(HttpMethod.Put, "MKDIRS", path, "", cancellationToken).ConfigureAwait(false))
        {
            throw new WebHdfsException("MKDIRS", path, null, null, "the NameNode answered false");
        }
    }

    public async Task<IHdfsOutputFile?> CreateAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await TwoStepAsync(HttpMethod.Put, "CREATE", path, "&overwrite=false", ReadOnlyMemory<byte>.Empty, HttpStatusCode.Created, cancellationToken).ConfigureAwait(false);
        }
        catch (WebHdfsException e) when (e.RemoteException == "FileAlreadyExistsException")
        {
            return null;
        }
        return new WebHdfsOutputFile(this, path);
    }

    public Task AppendAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        TwoStepAsync(HttpMethod.Post, "APPEND", path, "", data, HttpStatusCode.OK, cancellationToken);

    public async Task<HdfsEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        using var json = await JsonAsync(HttpMethod.Get, "GETFILESTATUS", path, "", allowNotFound: true, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Entry(json.RootElement.GetProperty("FileStatus"), Name(path));
    }

    public async Task<IReadOnlyList<HdfsEntry>> ListAsync(string directory, CancellationToken cancellationToken)
    {
        using var json = await JsonAsync(HttpMethod.Get, "LISTSTATUS", directory, "", allowNotFound: true, cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return [];
        }
        return [.. json.RootElement.GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray().Select(e => Entry(e, null))];
    }

    public Task<bool> RenameAsync(string from, string to, CancellationToken cancellationToken) =>
        BooleanAsync(HttpMethod.Put, "RENAME", from, "&destination=" + EscapePath(to), cancellationToken);

    public Task<bool> TruncateAsync(string path, long length, CancellationToken cancellationToken) =>
        BooleanAsync(HttpMethod.Post, "TRUNCATE", path, "&newlength=" + length.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) =>
        BooleanAsync(HttpMethod.Delete, "DELETE", path, "", cancellationToken);

    public void Dispose() => _http.Dispose();

    private static HdfsEntry Entry(JsonElement status, string? name) => new(
        name ?? status.GetProperty("pathSuffix").GetString() ?? "",
        status.GetProperty("type").GetString() == "DIRECTORY",
        status.TryGetProperty("length", out var length) ? length.GetInt64() : 0);

    private static string Name(string path) => path[(path.TrimEnd('/').LastIndexOf('/') + 1)..];

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private Uri NameNodeUri(string op, string path, string query) =>
        new(_nameNode, $"/webhdfs/v1{EscapePath(path)}?op={op}{_authQuery}{query}");

    private async Task<bool> BooleanAsync(HttpMethod method, string op, string path, string query, CancellationToken cancellationToken)
    {
        using var json = await JsonAsync(method, op, path, query, allowNotFound: false, cancellationToken).ConfigureAwait(false);
        return json!.RootElement.GetProperty("boolean").GetBoolean();
    }

    private async Task<JsonDocument?> JsonAsync(HttpMethod method, string op, string path, string query, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_callTimeout);
        try
        {
            using var response = await _http.SendAsync(new HttpRequestMessage(method, NameNodeUri(op, path, query)), timeout.Token).ConfigureAwait(false);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            await EnsureSuccessAsync(response, op, path, HttpStatusCode.OK, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, op, path, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private async Task TwoStepAsync(HttpMethod method, string op, string path, string query, ReadOnlyMemory<byte> data, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_callTimeout);
        try
        {
            var requestUri = NameNodeUri(op, path, query);
            Uri dataNode;
            using (var redirect = await _http.SendAsync(new HttpRequestMessage(method, requestUri), timeout.Token).ConfigureAwait(false))
            {
                if (redirect.StatusCode != HttpStatusCode.TemporaryRedirect || redirect.Headers.Location is null)
                {
                    await EnsureSuccessAsync(redirect, op, path, HttpStatusCode.TemporaryRedirect, timeout.Token).ConfigureAwait(false);
                    throw new WebHdfsException(op, path, redirect.StatusCode, null, "the NameNode did not redirect to a DataNode");
                }
                dataNode = new Uri(requestUri, redirect.Headers.Location);
            }
            using var request = new HttpRequestMessage(method, dataNode) { Content = new ReadOnlyMemoryContent(data) };
            request.Content.Headers.ContentType = new("application/octet-stream");
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, op, path, expected, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, op, path, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private Exception? Translate(Exception e, string op, string path, CancellationToken caller) => e switch
    {
        WebHdfsException => null,
        OperationCanceledException when !caller.IsCancellationRequested =>
            new WebHdfsException(op, path, null, null, $"no answer within {_callTimeout.TotalMilliseconds:0} ms (hdfs.callTimeout)", e),
        HttpRequestException or IOException => new WebHdfsException(op, path, null, null, e.Message, e),
        JsonException or KeyNotFoundException or InvalidOperationException => new WebHdfsException(op, path, null, null, "the answer is not the JSON WebHDFS sends: " + e.Message, e),
        _ => null,
    };

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string op, string path, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected || (expected != HttpStatusCode.TemporaryRedirect && response.IsSuccessStatusCode))
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? remote = null;
        var message = body.Length == 0 ? response.ReasonPhrase ?? "no message" : body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("RemoteException", out var exception))
            {
                remote = exception.TryGetProperty("exception", out var name) ? name.GetString() : null;
                message = exception.TryGetProperty("message", out var text) ? text.GetString() ?? message : message;
            }
        }
        catch (JsonException)
        {
            // Not a RemoteException (a proxy's HTML page, say): the body itself is the message.
        }
        throw new WebHdfsException(op, path, response.StatusCode, remote, message.Length > 500 ? message[..500] : message);
    }
}
