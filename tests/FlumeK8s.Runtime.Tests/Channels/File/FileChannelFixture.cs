using FlumeK8s.Runtime.Channels.File;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>A temporary directory for file channels, with helpers to open, close and reopen them.</summary>
public sealed class FileChannelFixture : IDisposable
{
    public FileChannelFixture()
    {
        Root = Directory.CreateTempSubdirectory("flumek8s-file-channel-").FullName;
    }

    public string Root { get; }

    public string CheckpointDir => Path.Combine(Root, "checkpoint");

    public string BackupDir => Path.Combine(Root, "backup");

    public string DataDir => Path.Combine(Root, "data");

    public string CheckpointPath => Path.Combine(CheckpointDir, "checkpoint");

    public string BackupCheckpointPath => Path.Combine(BackupDir, "checkpoint");

    public FileChannelSettings Settings(int capacity = 1000, int transactionCapacity = 100) =>
        new(CheckpointDir, [DataDir], capacity, transactionCapacity, KeepAlive: TimeSpan.Zero, MinimumRequiredSpace: 0,
            CheckpointInterval: TimeSpan.FromHours(1));

    /// <summary>Settings with a backup checkpoint directory.</summary>
    public FileChannelSettings DualSettings(int capacity = 1000, int transactionCapacity = 100) =>
        Settings(capacity, transactionCapacity) with { UseDualCheckpoints = true, BackupCheckpointDir = BackupDir };

    public async Task<FileChannel> OpenAsync(FileChannelSettings? settings = null, IStorage? storage = null, TimeProvider? time = null,
        ILoggerFactory? logs = null)
    {
        var channel = new FileChannel("c1", settings ?? Settings(), time ?? TimeProvider.System, logs ?? NullLoggerFactory.Instance, storage);
        await channel.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return channel;
    }

    public IEnumerable<string> LogFiles => Directory.EnumerateFiles(DataDir, "log-*").OrderBy(f => f, StringComparer.Ordinal);

    public string LogPath(int fileId) => Path.Combine(DataDir, $"log-{fileId}");

    /// <summary>Log ids present in the data directory, oldest first.</summary>
    public List<int> LogIds() =>
        [.. Directory.EnumerateFiles(DataDir, "log-*").Select(f => int.Parse(Path.GetFileName(f)[4..], System.Globalization.CultureInfo.InvariantCulture)).Order()];

    /// <summary>
    /// What a crash would leave: a copy of every file as it is on disk now, in a new fixture the caller
    /// disposes. Taken while the channel is live, right after a commit returned, it holds exactly what
    /// the commits made durable and nothing a clean close would add (no closing checkpoint). The lock
    /// files are left out: a dead process holds no lock.
    /// </summary>
    public FileChannelFixture CopyAsCrashed()
    {
        var copy = new FileChannelFixture();
        foreach (var source in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(source) == "in_use.lock")
            {
                continue;
            }
            var target = Path.Combine(copy.Root, Path.GetRelativePath(Root, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.File.WriteAllBytes(target, ReadShared(source));
        }
        foreach (var directory in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(copy.Root, Path.GetRelativePath(Root, directory)));
        }
        return copy;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
