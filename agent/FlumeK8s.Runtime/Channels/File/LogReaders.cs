namespace FlumeK8s.Runtime.Channels.File;

/// <summary>Open read handles to the log files, one per file, shared by every transaction; closed when a file is deleted.</summary>
internal sealed class LogReaders(IStorage storage, IReadOnlyList<string> dataDirs) : IDisposable
{
    private readonly Dictionary<int, IReadFile> _open = [];

    public IReadFile Get(int fileId)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(fileId, out var file))
            {
                _open[fileId] = file = storage.OpenRead(LogFormat.LogPath(dataDirs, fileId));
            }
            return file;
        }
    }

    public void Close(int fileId)
    {
        lock (_open)
        {
            if (_open.Remove(fileId, out var file))
            {
                file.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_open)
        {
            foreach (var file in _open.Values)
            {
                file.Dispose();
            }
            _open.Clear();
        }
    }
}
