namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// <c>hdfs.path</c> split into the file system it names (scheme and, for WebHDFS, the NameNode's
/// HTTP address) and the path template inside it.
/// </summary>
public sealed record HdfsLocation(HdfsScheme Scheme, Uri? NameNode, string PathTemplate)
{
    /// <summary>The NameNode's HTTP port in Hadoop 3 (9871 for HTTPS), used when the path names none.</summary>
    public const int DefaultHttpPort = 9870;

    public const int DefaultHttpsPort = 9871;

    public static HdfsLocation? Parse(string path, out string? error)
    {
        error = null;
        var schemeEnd = path.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                return new HdfsLocation(HdfsScheme.Local, null, path["file:".Length..]);
            }
            return new HdfsLocation(HdfsScheme.Local, null, path);
        }
        var scheme = path[..schemeEnd].ToLowerInvariant();
        var rest = path[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var template = slash < 0 ? "/" : rest[slash..];
        switch (scheme)
        {
            case "file":
                if (authority.Length > 0 && !string.Equals(authority, "localhost", StringComparison.OrdinalIgnoreCase))
                {
                    error = $"file:// names host '{authority}'; a local path is file:///dir (or just /dir)";
                    return null;
                }
                return new HdfsLocation(HdfsScheme.Local, null, template);
            case "webhdfs" or "hdfs" or "swebhdfs":
                var secure = scheme == "swebhdfs";
                if (authority.Length == 0 || authority.Contains('%', StringComparison.Ordinal))
                {
                    error = $"{scheme}:// needs the NameNode's HTTP address as host[:port], without escapes";
                    return null;
                }
                if (!Uri.TryCreate($"{(secure ? "https" : "http")}://{authority}/", UriKind.Absolute, out var nameNode))
                {
                    error = $"'{authority}' is not a host[:port]";
                    return null;
                }
                if (!authority.Contains(':', StringComparison.Ordinal) || authority.EndsWith(']'))
                {
                    nameNode = new UriBuilder(nameNode) { Port = secure ? DefaultHttpsPort : DefaultHttpPort }.Uri;
                }
                return new HdfsLocation(secure ? HdfsScheme.SecureWebHdfs : HdfsScheme.WebHdfs, nameNode, template);
            default:
                error = $"scheme '{scheme}://' is not supported; use a local path (file:// or /dir), webhdfs://, hdfs:// (the NameNode's HTTP address) or swebhdfs://";
                return null;
        }
    }
}
