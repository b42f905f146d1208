using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlumeK8s.Kube;

/// <summary>
/// The small Kubernetes API client the operator needs: get, list, watch (with resourceVersion;
/// an expired watch raises <see cref="WatchExpiredException"/> so the caller re-lists), server-side
/// apply with a field manager, status apply, create, replace, delete, and discovery.
/// Objects are JSON trees (System.Text.Json.Nodes): the operator builds and reads only the fields it owns.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private static readonly MediaTypeHeaderValue ApplyPatch = new("application/apply-patch+yaml");
    private readonly HttpClient _http;

    public KubeClient(KubeConnection connection)
    {
        Connection = connection;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = connection.ClientCertificate is null ? null : [connection.ClientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(connection, certificate, errors),
            },
        };
        _http = new HttpClient(handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
        if (connection.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        }
    }

    public KubeConnection Connection { get; }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? @namespace, string name, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(kind.ObjectPath(@namespace, name), cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectList> ListAsync(ResourceKind kind, string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        var path = kind.CollectionPath(@namespace) + (labelSelector is null ? "" : $"?labelSelector={Uri.EscapeDataString(labelSelector)}");
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        var list = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
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
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? @namespace, string resourceVersion,
        TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"{kind.CollectionPath(@namespace)}?watch=1&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={(int)timeout.TotalSeconds}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            throw new WatchExpiredException(resourceVersion);
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
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
        using var content = Json(obj);
        using var response = await _http.PostAsync(kind.CollectionPath(Namespace(obj)), content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the object; its metadata.resourceVersion makes this a compare-and-swap (409 Conflict when stale).</summary>
    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        using var content = Json(obj);
        using var response = await _http.PutAsync(kind.ObjectPath(Namespace(obj), Name(obj)), content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the object (a missing one is fine); <paramref name="propagation"/> is Foreground, Background or Orphan.</summary>
    public async Task DeleteAsync(ResourceKind kind, string? @namespace, string name, string propagation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, kind.ObjectPath(@namespace, name))
        {
            Content = Json(new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = propagation }),
        };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the server serves <paramref name="group"/>/<paramref name="version"/> (discovery).</summary>
    public async Task<bool> ServesAsync(string group, string version, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}", cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _http.Dispose();

    public static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("object has no metadata.name");

    public static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    private async Task<JsonObject> PatchApplyAsync(ResourceKind kind, JsonObject desired, string fieldManager, string subresource, CancellationToken cancellationToken)
    {
        var path = $"{kind.ObjectPath(Namespace(desired), Name(desired))}{subresource}?fieldManager={Uri.EscapeDataString(fieldManager)}&force=true";
        // JSON is YAML, so the apply patch can be sent as the JSON text.
        using var content = new StringContent(desired.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = ApplyPatch;
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = content };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static StringContent Json(JsonObject obj) => new(obj.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? reason = null;
        var message = body;
        try
        {
            var status = JsonNode.Parse(body)?.AsObject();
            reason = status?["reason"]?.GetValue<string>();
            message = status?["message"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's error page, say): the raw body is the message.
        }
        throw new KubeApiException(response.StatusCode, reason, message);
    }

    private static bool Trusted(KubeConnection connection, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (connection.InsecureSkipTlsVerify || errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (connection.TrustedCa is null || certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(connection.TrustedCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // The API server's certificate names its service IPs and DNS names; name mismatches for an
        // address the kubeconfig uses are the one error a custom CA does not excuse.
        return chain.Build(new X509Certificate2(certificate)) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    }
}

/// <summary>The watch's resourceVersion is too old (410 Gone): list again, then watch from the list's version.</summary>
public sealed class WatchExpiredException(string resourceVersion)
    : Exception($"watch from resourceVersion {resourceVersion} expired (410 Gone); a fresh list is needed");
