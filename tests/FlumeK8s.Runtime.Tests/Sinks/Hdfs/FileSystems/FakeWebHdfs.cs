using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs.FileSystems;

/// <summary>
/// A NameNode and a DataNode on two loopback ports speaking the WebHDFS REST API as Hadoop does:
/// CREATE and APPEND answered by the NameNode with 307 to the DataNode, which stores the bytes;
/// GETFILESTATUS, LISTSTATUS, MKDIRS, RENAME, TRUNCATE, DELETE; errors as RemoteException JSON.
/// Fault switches make the DataNode fail an APPEND after storing part of it, or the NameNode
/// refuse TRUNCATE as Hadoop before 2.7 does.
/// </summary>
internal sealed class FakeWebHdfs : IAsyncDisposable
{
    // Hadoop's names as they are (RemoteException, FileStatus, boolean), not ASP.NET's camelCase.
    private static readonly JsonSerializerOptions Json = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, List<byte>> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };
    private WebApplication? _nameNode;
    private WebApplication? _dataNode;

    public int NameNodePort { get; private set; }

    public ConcurrentQueue<string> Users { get; } = new();

    public ConcurrentQueue<string> Operations { get; } = new();

    /// <summary>When set, the next APPEND stores only this share of its bytes, then fails.</summary>
    public double? FailNextAppendAfter { get; set; }

    public bool TruncateUnsupported { get; set; }

    /// <summary>When set, MKDIRS is refused with this user's AccessControlException.</summary>
    public bool DenyMkdirs { get; set; }

    public static async Task<FakeWebHdfs> StartAsync()
    {
        var server = new FakeWebHdfs();
        server._dataNode = Build(server.DataNodeAsync);
        await server._dataNode.StartAsync();
        server._nameNode = Build(server.NameNodeAsync);
        await server._nameNode.StartAsync();
        server.NameNodePort = new Uri(server._nameNode.Urls.First()).Port;
        return server;
    }

    public Dictionary<string, byte[]> Files
    {
        get
        {
            lock (_gate)
            {
                return _files.ToDictionary(f => f.Key, f => f.Value.ToArray());
            }
        }
    }

    public void PutFile(string path, byte[] content)
    {
        lock (_gate)
        {
            _files[path] = [.. content];
            for (var parent = Parent(path); parent != "/"; parent = Parent(parent))
            {
                _directories.Add(parent);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _nameNode!.DisposeAsync();
        await _dataNode!.DisposeAsync();
    }

    private static WebApplication Build(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(c => handler(c));
        return app;
    }

    private static string PathOf(HttpContext c) => Uri.UnescapeDataString(c.Request.Path.Value!["/webhdfs/v1".Length..]) is { Length: > 0 } p ? p : "/";

    private static string Parent(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "/";

    private static Task RemoteAsync(HttpContext c, HttpStatusCode status, string exception, string message)
    {
        c.Response.StatusCode = (int)status;
        return c.Response.WriteAsJsonAsync(new { RemoteException = new { exception, javaClassName = "java.io." + exception, message } }, Json);
    }

    private static Task BooleanAsync(HttpContext c, bool value) => c.Response.WriteAsJsonAsync(new Dictionary<string, bool> { ["boolean"] = value }, Json);

    private async Task NameNodeAsync(HttpContext c)
    {
        var op = c.Request.Query["op"].ToString();
        var path = PathOf(c);
        Operations.Enqueue($"{op} {path}");
        Users.Enqueue(c.Request.Query["user.name"].ToString());
        switch (op)
        {
            case "CREATE" or "APPEND":
                bool missing;
                lock (_gate)
                {
                    missing = op == "APPEND" && !_files.ContainsKey(path);
                }
                if (missing)
                {
                    await RemoteAsync(c, HttpStatusCode.NotFound, "FileNotFoundException", "File does not exist: " + path);
                    return;
                }
                var dataNode = new Uri(_dataNode!.Urls.First());
                c.Response.StatusCode = (int)HttpStatusCode.TemporaryRedirect;
                c.Response.Headers.Location = $"http://127.0.0.1:{dataNode.Port}{c.Request.Path}{c.Request.QueryString}&namenoderpcaddress=fake:8020";
                return;
            case "GETFILESTATUS":
                object? status;
                lock (_gate)
                {
                    status = _files.TryGetValue(path, out var file) ? new { pathSuffix = "", type = "FILE", length = file.Count }
                        : _directories.Contains(path) ? new { pathSuffix = "", type = "DIRECTORY", length = 0 } : null;
                }
                await (status is null ? RemoteAsync(c, HttpStatusCode.NotFound, "FileNotFoundException", "File does not exist: " + path) : c.Response.WriteAsJsonAsync(new { FileStatus = status }, Json));
                return;
            case "LISTSTATUS":
                List<object> entries;
                lock (_gate)
                {
                    if (!_directories.Contains(path))
                    {
                        entries = [];
                    }
                    else
                    {
                        var prefix = path == "/" ? "/" : path + "/";
                        entries = [.. _files.Where(f => Parent(f.Key) == path).Select(f => (object)new { pathSuffix = f.Key[prefix.Length..], type = "FILE", length = f.Value.Count })
                            .Concat(_directories.Where(d => d != "/" && Parent(d) == path).Select(d => (object)new { pathSuffix = d[prefix.Length..], type = "DIRECTORY", length = 0 }))];
                    }
                }
                if (entries.Count == 0 && !_directories.Contains(path))
                {
                    await RemoteAsync(c, HttpStatusCode.NotFound, "FileNotFoundException", "File " + path + " does not exist.");
                    return;
                }
                await c.Response.WriteAsJsonAsync(new { FileStatuses = new { FileStatus = entries } }, Json);
                return;
            case "MKDIRS":
                if (DenyMkdirs)
                {
                    await RemoteAsync(c, HttpStatusCode.Forbidden, "AccessControlException", $"Permission denied: user={c.Request.Query["user.name"]}, access=WRITE, inode=\"{path}\"");
                    return;
                }
                lock (_gate)
                {
                    for (var d = path; d != "/"; d = Parent(d))
                    {
                        _directories.Add(d);
                    }
                }
                await BooleanAsync(c, true);
                return;
            case "RENAME":
                var destination = c.Request.Query["destination"].ToString();
                bool renamed;
                lock (_gate)
                {
                    renamed = _files.TryGetValue(path, out var moving) && !_files.ContainsKey(destination) && _directories.Contains(Parent(destination));
                    if (renamed)
                    {
                        _files.Remove(path);
                        _files[destination] = moving!;
                    }
                }
                await BooleanAsync(c, renamed);
                return;
            case "TRUNCATE":
                if (TruncateUnsupported)
                {
                    await RemoteAsync(c, HttpStatusCode.BadRequest, "IllegalArgumentException", "Invalid value for webhdfs parameter \"op\": No enum constant TRUNCATE");
                    return;
                }
                var length = int.Parse(c.Request.Query["newlength"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
                lock (_gate)
                {
                    var file = _files[path];
                    file.RemoveRange(length, file.Count - length);
                }
                await BooleanAsync(c, true);
                return;
            case "DELETE":
                bool deleted;
                lock (_gate)
                {
                    deleted = _files.Remove(path);
                }
                await BooleanAsync(c, deleted);
                return;
            default:
                await RemoteAsync(c, HttpStatusCode.BadRequest, "IllegalArgumentException", $"Invalid value for webhdfs parameter \"op\": {op}");
                return;
        }
    }

    private async Task DataNodeAsync(HttpContext c)
    {
        var op = c.Request.Query["op"].ToString();
        var path = PathOf(c);
        using var body = new MemoryStream();
        await c.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        if (op == "CREATE")
        {
            bool created;
            lock (_gate)
            {
                created = !_files.ContainsKey(path) && _directories.Contains(Parent(path));
                if (created)
                {
                    _files[path] = [.. bytes];
                }
            }
            if (!created)
            {
                await RemoteAsync(c, HttpStatusCode.Forbidden, "FileAlreadyExistsException", path + " for client 127.0.0.1 already exists");
                return;
            }
            c.Response.StatusCode = (int)HttpStatusCode.Created;
            return;
        }
        var failAfter = FailNextAppendAfter;
        FailNextAppendAfter = null;
        lock (_gate)
        {
            _files[path].AddRange(failAfter is { } share ? bytes[..(int)(bytes.Length * share)] : bytes);
        }
        if (failAfter is not null)
        {
            await RemoteAsync(c, HttpStatusCode.InternalServerError, "IOException", "All datanodes [DatanodeInfoWithStorage[127.0.0.1:9866]] are bad. Aborting...");
        }
    }
}
