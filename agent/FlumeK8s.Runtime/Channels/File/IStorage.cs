namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// The file operations the file channel needs, and nothing more, so tests can inject failures
/// (a write or fsync that fails, a torn write) between the channel and the disk.
/// </summary>
public interface IStorage
{
    /// <summary>Creates a new file for appending; fails if it exists.</summary>
    IAppendFile Create(string path);

    IReadFile OpenRead(string path);

    bool Exists(string path);

    long Length(string path);

    void Delete(string path);

    /// <summary>Atomically replaces <paramref name="to"/> with <paramref name="from"/>.</summary>
    void Rename(string from, string to);

    /// <summary>Makes a directory's entries (created, renamed, deleted files) durable.</summary>
    void FsyncDirectory(string directory);

    long FreeBytes(string directory);

    /// <summary>The size of the whole file system holding the directory.</summary>
    long TotalBytes(string directory);

    /// <summary>Takes an exclusive lock on the directory for this process; throws if another holder has it.</summary>
    IDisposable Lock(string directory);
}

/// <summary>A file being appended to.</summary>
public interface IAppendFile : IDisposable
{
    long Length { get; }

    void Append(ReadOnlySpan<byte> data);

    /// <summary>fdatasync: everything appended so far is on the device when this returns.</summary>
    void Sync();
}

/// <summary>A file read at arbitrary offsets.</summary>
public interface IReadFile : IDisposable
{
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/>; returns the bytes read (fewer at the end of the file).</summary>
    int ReadAt(long offset, Span<byte> buffer);
}
