using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// The real disk with failures on demand, so tests drive the channel through the faults a disk has:
/// an append that fails (outright or after writing part of its bytes, as a crash mid-write leaves
/// it), an fsync that fails, a disk that is nearly full, a checkpoint directory that refuses files,
/// and a slow fsync (held until released) to force commits to pile up behind one flush.
/// Faults are scoped to a directory, so log files and checkpoints can be broken independently.
/// </summary>
public sealed class FaultyStorage : IStorage
{
    private readonly IStorage _inner = DiskStorage.Instance;
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _syncsReleased = new(initialState: true);
    private string? _appendFaultDirectory;
    private int _appendsBeforeFault;
    private int _tornBytes;
    private string? _syncFaultDirectory;
    private string? _refusingDirectory;
    private long _appends;
    private long _syncs;
    private int _heldSyncs;

    /// <summary>When set, every data directory reports this many free bytes.</summary>
    public long? FreeBytesOverride { get; set; }

    /// <summary>When set, every data directory's disk reports this size.</summary>
    public long? TotalBytesOverride { get; set; }

    /// <summary>Appends that reached the disk (whole or torn), in every directory.</summary>
    public long Appends => Interlocked.Read(ref _appends);

    /// <summary>File syncs that succeeded, in every directory.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Syncs blocked by <see cref="HoldSyncs"/> right now.</summary>
    public int HeldSyncs => Volatile.Read(ref _heldSyncs);

    /// <summary>
    /// The append after the next <paramref name="skip"/> appends to files in <paramref name="directory"/>
    /// writes only its first <paramref name="tornBytes"/> bytes, then throws: a failed write when
    /// zero, a crash mid-write otherwise. One shot.
    /// </summary>
    public void FailAppend(string directory, int skip = 0, int tornBytes = 0)
    {
        lock (_gate)
        {
            _appendFaultDirectory = Normalize(directory);
            _appendsBeforeFault = skip;
            _tornBytes = tornBytes;
        }
    }

    /// <summary>Every sync of a file in <paramref name="directory"/> fails from now on, as a failed fsync does on Linux.</summary>
    public void FailSyncs(string directory)
    {
        lock (_gate)
        {
            _syncFaultDirectory = Normalize(directory);
        }
    }

    /// <summary>Creating or renaming a file in <paramref name="directory"/> fails (null: no longer).</summary>
    public void RefuseFilesIn(string? directory)
    {
        lock (_gate)
        {
            _refusingDirectory = directory is null ? null : Normalize(directory);
        }
    }

    /// <summary>File syncs block until <see cref="ReleaseSyncs"/>.</summary>
    public void HoldSyncs() => _syncsReleased.Reset();

    public void ReleaseSyncs() => _syncsReleased.Set();

    public IAppendFile Create(string path)
    {
        ThrowIfRefused(path, "create");
        return new FaultyAppendFile(this, path, _inner.Create(path));
    }

    public IReadFile OpenRead(string path) => _inner.OpenRead(path);

    public bool Exists(string path) => _inner.Exists(path);

    public long Length(string path) => _inner.Length(path);

    public void Delete(string path) => _inner.Delete(path);

    public void Rename(string from, string to)
    {
        ThrowIfRefused(to, "rename");
        _inner.Rename(from, to);
    }

    public void FsyncDirectory(string directory) => _inner.FsyncDirectory(directory);

    public long FreeBytes(string directory) => FreeBytesOverride ?? _inner.FreeBytes(directory);

    public long TotalBytes(string directory) => TotalBytesOverride ?? _inner.TotalBytes(directory);

    public IDisposable Lock(string directory) => _inner.Lock(directory);

    private void ThrowIfRefused(string path, string operation)
    {
        lock (_gate)
        {
            if (_refusingDirectory is not null && DirectoryOf(path) == _refusingDirectory)
            {
                throw new IOException($"injected fault: cannot {operation} {path}");
            }
        }
    }

    /// <summary>The number of bytes this append to <paramref name="path"/> may write before it fails, or -1 when it succeeds.</summary>
    internal int TakeAppendFault(string path)
    {
        lock (_gate)
        {
            if (_appendFaultDirectory is null || DirectoryOf(path) != _appendFaultDirectory)
            {
                return -1;
            }
            if (_appendsBeforeFault > 0)
            {
                _appendsBeforeFault--;
                return -1;
            }
            _appendFaultDirectory = null;
            return _tornBytes;
        }
    }

    internal bool SyncFails(string path)
    {
        lock (_gate)
        {
            return _syncFaultDirectory is not null && DirectoryOf(path) == _syncFaultDirectory;
        }
    }

    internal void CountAppend() => Interlocked.Increment(ref _appends);

    internal void CountSync() => Interlocked.Increment(ref _syncs);

    /// <summary>Blocks while syncs are held.</summary>
    internal void WaitUntilSyncsReleased()
    {
        Interlocked.Increment(ref _heldSyncs);
        try
        {
            _syncsReleased.Wait(TimeSpan.FromMinutes(1));
        }
        finally
        {
            Interlocked.Decrement(ref _heldSyncs);
        }
    }

    private static string DirectoryOf(string path) => Normalize(Path.GetDirectoryName(Path.GetFullPath(path))!);

    private static string Normalize(string directory) => Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
}
