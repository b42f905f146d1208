using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// Finishes in-use files a previous run left behind (a crash, a kill): every file in the scanned
/// directories whose name is this sink's in-use pattern is renamed to its final name, as a clean
/// close would have done. Its content is every batch flushed before the crash (all committed ones,
/// possibly followed by the torn tail of a batch that was not committed and will be delivered again).
/// </summary>
internal sealed partial class InUseRecovery(IHdfsFileSystem fileSystem, FileNaming naming, string sink, ILogger logger)
{
    /// <summary>Recovers the files of <paramref name="directory"/> and of its subdirectories down to <paramref name="depth"/> levels.</summary>
    public async Task<int> RecoverTreeAsync(string directory, int depth, Func<string, bool> isOpen, CancellationToken cancellationToken)
    {
        var recovered = 0;
        var entries = await fileSystem.ListAsync(directory, cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            var path = FileNaming.Combine(directory, entry.Name);
            if (entry.IsDirectory)
            {
                if (depth > 0)
                {
                    recovered += await RecoverTreeAsync(path, depth - 1, isOpen, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (naming.FinalNameOf(entry.Name) is { } finalName && !isOpen(path))
            {
                var target = FileNaming.Combine(directory, finalName);
                if (await fileSystem.RenameAsync(path, target, cancellationToken).ConfigureAwait(false))
                {
                    LogRecovered(logger, sink, path, target, entry.Length);
                    recovered++;
                }
                else
                {
                    LogNotRecovered(logger, sink, path, target);
                }
            }
        }
        return recovered;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} recovered {Path} left in use by an earlier run: renamed to {Target} ({Bytes} bytes)")]
    private static partial void LogRecovered(ILogger logger, string sink, string path, string target, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} found {Path} left in use by an earlier run but could not rename it to {Target} (it exists, or the file went away); left as it is")]
    private static partial void LogNotRecovered(ILogger logger, string sink, string path, string target);
}
