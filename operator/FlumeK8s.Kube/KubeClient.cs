using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace FlumeK8s.Kube;

/// <summary>
/// The operator's JSON-level view of the API: get, list, watch (with resourceVersion and a label
/// selector; an expired watch raises <see cref="WatchExpiredException"/> so the caller re-lists),
/// server-side apply with a field manager (also of /status), create, replace, delete, discovery.
/// Objects are JSON trees (System.Text.Json.Nodes): the renderer builds every kind as JSON and the
/// operator reads only the fields it owns. Connection, authentication (exec plugins, rotating
/// tokens, client certificates), TLS and HTTP/2 keepalive are the official client's
/// (<see cref="Kubernetes"/>, also used typed for leases); the client's generic calls cannot apply
/// with a field manager, which is why requests go through its HttpClient here. Every request has a
/// deadline, so a call into a silently dropped connection fails instead of hanging.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private static readonly MediaTypeHeaderValue ApplyPatch = new("application/apply-patch+yaml");
    private static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(30);

    public KubeClient(KubernetesClientConfiguration config, TimeSpan? requestTimeout = null)
    {
        Kubernetes = new Kubernetes(config);
        DefaultNamespace = string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace;
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
    }

    public static KubeClient FromKubeconfig(string? path, string? context = null) => new(KubeConfig.FromKubeconfig(path, context));

    /// <summary>The official client on the same connection, for typed calls.</summary>
    public Kubernetes Kubernetes { get; }

    public Uri Server => Kubernetes.BaseUri;

    /// <summary>The namespace of the kubeconfig's context, or the pod's own.</summary>
    public string DefaultNamespace { get; }

    public TimeSpan RequestTimeout { get; }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? @namespace, string name, CancellationToken cancellationToken)
    {
        var (status, body) = await CallAsync(HttpMethod.Get, kind.ObjectPath(@namespace, name), null, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.NotFound ? null : Parse(status, body);
    }

    public async Task<ObjectList> ListAsync(ResourceKind kind, string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        var path = kind.CollectionPath(@namespace) + (labelSelector is null ? "" : $"?labelSelector={Uri.EscapeDataString(labelSelector)}");
        var (status, body) = await CallAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var list = Parse(status, body);
        var items = list["items"]?.AsArray().Select(i => i!.AsObject()).ToList() ?? [];
        foreach (var item in items)
        {
            // Items of a list carry no kind/apiVersion; add them so every object is self-describing.
            item["apiVersion"] ??= kind.ApiVersion;
            item["kind"] ??= kind.Kind;
        }
        return new ObjectList(items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "");
    }

    /// <summary>
    /// Streams changes after <paramref name="resourceVersion"/> until the server closes the watch
    /// (then the caller watches again from the last version it saw). Throws
    /// <see cref="WatchExpiredException"/> when that version is too old: the caller must list again.
    /// The server ends the watch after <paramref name="timeout"/>; one still open well after that
    /// (a connection dropped without a word) is abandoned here, and the caller watches again.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? @namespace, string resourceVersion,
        TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken, string? labelSelector = null)
    {
        var path = $"{kind.CollectionPath(@namespace)}?watch=1&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}" +
                   $"&timeoutSeconds={(int)timeout.TotalSeconds}" + (labelSelector is null ? "" : $"&labelSelector={Uri.EscapeDataString(labelSelector)}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + WatchGrace);
        using var request = await RequestAsync(HttpMethod.Get, path, null, deadline.Token).ConfigureAwait(false);
        using var response = await Kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            throw new WatchExpiredException(resourceVersion);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response.StatusCode, await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false));
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false), Encoding.UTF8);
        while (await ReadLineAsync(reader, deadline.Token, cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var node = JsonNode.Parse(line)!.AsObject();
            var type = node["type"]!.GetValue<string>();
            var obj = node["object"]!.AsObject();
            if (type == "ERROR")
            {
                if (obj["code"]?.GetValue<int>() == 410)
                {
                    throw new WatchExpiredException(resourceVersion);
                }
                throw new KubeApiException((HttpStatusCode)(obj["code"]?.GetValue<int>() ?? 500), obj["reason"]?.GetValue<string>(), obj["message"]?.GetValue<string>() ?? line);
            }
            obj["apiVersion"] ??= kind.ApiVersion;
            obj["kind"] ??= kind.Kind;
            yield return new WatchEvent(type, obj);
        }
    }

    /// <summary>Server-side apply: the server merges <paramref name="desired"/> into the object, owning the fields it sets for <paramref name="fieldManager"/>.</summary>
    public Task<JsonObject> ApplyAsync(ResourceKind kind, JsonObject desired, string fieldManager, CancellationToken cancellationToken) =>
        PatchApplyAsync(kind, desired, fieldManager, "", cancellationToken);

    /// <summary>Server-side apply of the status subresource.</summary>
    public Task<JsonObject> ApplyStatusAsync(ResourceKind kind, JsonObject desired, string fieldManager, CancellationToken cancellationToken) =>
        PatchApplyAsync(kind, desired, fieldManager, "/status", cancellationToken);

    public async Task<JsonObject> CreateAsync(ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var (status, body) = await CallAsync(HttpMethod.Post, kind.CollectionPath(Namespace(obj)), Json(obj), cancellationToken).ConfigureAwait(false);
        return Parse(status, body);
    }

    /// <summary>Replaces the object; its metadata.resourceVersion makes this a compare-and-swap (409 Conflict when stale).</summary>
    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var (status, body) = await CallAsync(HttpMethod.Put, kind.ObjectPath(Namespace(obj), Name(obj)), Json(obj), cancellationToken).ConfigureAwait(false);
        return Parse(status, body);
    }

    /// <summary>Deletes the object (a missing one is fine); <paramref name="propagation"/> is Foreground, Background or Orphan.</summary>
    public async Task DeleteAsync(ResourceKind kind, string? @namespace, string name, string propagation, CancellationToken cancellationToken)
    {
        var options = Json(new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = propagation });
        var (status, body) = await CallAsync(HttpMethod.Delete, kind.ObjectPath(@namespace, name), options, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.NotFound)
        {
            Parse(status, body);
        }
    }

    /// <summary>
    /// GET of <paramref name="path"/> answered as it comes, whatever its status (a pod's endpoint through
    /// the API server's proxy, say), within <paramref name="timeout"/> rather than the usual deadline.
    /// </summary>
    public Task<RawResponse> GetRawAsync(string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendRawAsync(HttpMethod.Get, path, timeout, cancellationToken);

    /// <summary>The same for any method without a body (POST or DELETE to a pod's endpoint, say).</summary>
    public Task<RawResponse> SendRawAsync(HttpMethod method, string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(method, path, null, timeout, cancellationToken);

    /// <summary>True when the server serves <paramref name="group"/>/<paramref name="version"/> (discovery).</summary>
    public async Task<bool> ServesAsync(string group, string version, CancellationToken cancellationToken)
    {
        var (status, _) = await CallAsync(HttpMethod.Get, group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}", null, cancellationToken).ConfigureAwait(false);
        return IsSuccess(status);
    }

    public void Dispose() => Kubernetes.Dispose();

    public static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("object has no metadata.name");

    public static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    private async Task<JsonObject> PatchApplyAsync(ResourceKind kind, JsonObject desired, string fieldManager, string subresource, CancellationToken cancellationToken)
    {
        var path = $"{kind.ObjectPath(Namespace(desired), Name(desired))}{subresource}?fieldManager={Uri.EscapeDataString(fieldManager)}&force=true";
        // JSON is YAML, so the apply patch can be sent as the JSON text.
        var content = new StringContent(desired.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = ApplyPatch;
        var (status, body) = await CallAsync(HttpMethod.Patch, path, content, cancellationToken).ConfigureAwait(false);
        return Parse(status, body);
    }

    // One request and its whole response within RequestTimeout.
    private async Task<(HttpStatusCode Status, string Body)> CallAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var response = await SendAsync(method, path, content, RequestTimeout, cancellationToken).ConfigureAwait(false);
        return (response.Status, response.Body);
    }

    private async Task<RawResponse> SendAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = await RequestAsync(method, path, content, deadline.Token).ConfigureAwait(false);
            using var response = await Kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return new RawResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path}: no answer within {timeout.TotalSeconds:0} s", e);
        }
    }

    // Signed with the client's own credentials: a bearer token read from a rotating file or an exec
    // plugin, refreshed as it expires (client certificates are on the connection itself).
    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        // HTTP/2 where the server speaks it, as the client's own calls: many watches share one
        // connection, and its keepalive pings find a connection that died silently.
        var request = new HttpRequestMessage(method, new Uri(Kubernetes.BaseUri.ToString().TrimEnd('/') + path))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (Kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return request;
    }

    // A watch past its deadline ends like one the server closed: the caller watches again.
    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static StringContent Json(JsonObject obj) => new(obj.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonObject Parse(HttpStatusCode status, string body) =>
        IsSuccess(status) ? JsonNode.Parse(body)!.AsObject() : throw Error(status, body);

    private static KubeApiException Error(HttpStatusCode status, string body)
    {
        string? reason = null;
        var message = body;
        try
        {
            var parsed = JsonNode.Parse(body)?.AsObject();
            reason = parsed?["reason"]?.GetValue<string>();
            message = parsed?["message"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's error page, say): the raw body is the message.
        }
        return new KubeApiException(status, reason, message);
    }
}
