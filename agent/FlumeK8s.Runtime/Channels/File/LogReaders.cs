namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Open read handles to the log files, one per file, shared by every transaction; closed when a file
/// is deleted. Each comes with the reader of its file's format version, read from its header once.
/// </summary>
internal sealed class LogReaders(IStorage storage, IReadOnlyList<string> dataDirs, LogVersions versions) : IDisposable
{
    private readonly Dictionary<int, OpenLogFile> _open = [];

    /// <summary>The file, open; throws <see cref="InvalidDataException"/> when its header is bad or names a version not read here.</summary>
    public OpenLogFile Get(int fileId)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(fileId, out var open))
            {
                var path = LogFormat.LogPath(dataDirs, fileId);
                var file = storage.OpenRead(path);
                try
                {
                    var problem = LogFileHeader.Read(file, fileId, out var version);
                    if (problem is not null)
                    {
                        throw new InvalidDataException($"log file {path} is unreadable: {problem}");
                    }
                    _open[fileId] = open = new OpenLogFile(file, versions.Require(version, path));
                }
                catch
                {
                    file.Dispose();
                    throw;
                }
            }
            return open;
        }
    }

    public void Close(int fileId)
    {
        lock (_open)
        {
            if (_open.Remove(fileId, out var open))
            {
                open.File.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_open)
        {
            foreach (var open in _open.Values)
            {
                open.File.Dispose();
            }
            _open.Clear();
        }
    }
}
