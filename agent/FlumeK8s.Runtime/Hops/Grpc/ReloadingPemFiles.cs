using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// What some PEM files hold (a certificate with its key, a CA bundle), read again whenever their
/// content changes: certificates are rotated on disk (cert-manager, a renewed Secret) without a
/// restart, and every new TLS connection asks for <see cref="Current"/>, so it uses the files as
/// they are now. Content, not modification time, decides: Kubernetes swaps a Secret's files by
/// renaming a directory, and a rewrite within the clock's resolution changes no mtime. A rotation
/// caught half-written (a certificate that does not match its key yet) keeps the last good value
/// and is tried again at the next connection. The first load must succeed: it throws.
/// </summary>
internal sealed partial class ReloadingPemFiles<T>(string what, IReadOnlyList<string> files, Func<T> load, ILogger logger)
    where T : class
{
    private readonly Lock _gate = new();
    private byte[][] _contents = [];
    private T? _current;

    public T Current
    {
        get
        {
            lock (_gate)
            {
                byte[][] contents;
                try
                {
                    contents = [.. files.Select(File.ReadAllBytes)];
                }
                catch (IOException e) when (_current is not null)
                {
                    LogKept(logger, what, e.Message);
                    return _current;
                }
                if (_current is not null && contents.Length == _contents.Length && contents.Zip(_contents).All(p => p.First.AsSpan().SequenceEqual(p.Second)))
                {
                    return _current;
                }
                try
                {
                    var loaded = load();
                    if (_current is not null)
                    {
                        LogReloaded(logger, what, string.Join(", ", files));
                    }
                    _current = loaded;
                    _contents = contents;
                }
                catch (Exception e) when (_current is not null && e is not OutOfMemoryException)
                {
                    LogKept(logger, what, e.Message);
                }
                return _current!;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The {What} changed on disk and was reloaded from {Files}; new connections use it")]
    private static partial void LogReloaded(ILogger logger, string what, string files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {What} on disk cannot be loaded now, keeping the last good one: {Reason}")]
    private static partial void LogKept(ILogger logger, string what, string reason);
}
