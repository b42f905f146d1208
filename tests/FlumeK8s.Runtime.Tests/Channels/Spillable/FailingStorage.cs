using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>The real disk, except that appends and fsyncs fail once <see cref="FailWrites"/> is set.</summary>
public sealed class FailingStorage : IStorage
{
    private readonly IStorage _disk = DiskStorage.Instance;

    private volatile bool _failWrites;

    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public IAppendFile Create(string path) => new FailingFile(_disk.Create(path), this);

    public IReadFile OpenRead(string path) => _disk.OpenRead(path);

    public bool Exists(string path) => _disk.Exists(path);

    public long Length(string path) => _disk.Length(path);

    public void Delete(string path) => _disk.Delete(path);

    public void Rename(string from, string to) => _disk.Rename(from, to);

    public void FsyncDirectory(string directory) => _disk.FsyncDirectory(directory);

    public long FreeBytes(string directory) => _disk.FreeBytes(directory);

    public long TotalBytes(string directory) => _disk.TotalBytes(directory);

    public IDisposable Lock(string directory) => _disk.Lock(directory);

    private sealed class FailingFile(IAppendFile file, FailingStorage storage) : IAppendFile
    {
        public long Length => file.Length;

        public void Append(ReadOnlySpan<byte> data)
        {
            ThrowIfFailing();
            file.Append(data);
        }

        public void Sync()
        {
            ThrowIfFailing();
            file.Sync();
        }

        public void Dispose() => file.Dispose();

        private void ThrowIfFailing()
        {
            if (storage.FailWrites)
            {
                throw new IOException("injected write failure");
            }
        }
    }
}
