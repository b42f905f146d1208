using FlumeK8s.Runtime.Channels.File;
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

    public FileChannelSettings Settings(int capacity = 1000, int transactionCapacity = 100) =>
        new(CheckpointDir, [DataDir], capacity, transactionCapacity, KeepAlive: TimeSpan.Zero, MinimumRequiredSpace: 0,
            CheckpointInterval: TimeSpan.FromHours(1));

    public async Task<FileChannel> OpenAsync(FileChannelSettings? settings = null, IStorage? storage = null, TimeProvider? time = null)
    {
        var channel = new FileChannel("c1", settings ?? Settings(), time ?? TimeProvider.System, NullLoggerFactory.Instance, storage);
        await channel.StartAsync(CancellationToken.None);
        return channel;
    }

    public IEnumerable<string> LogFiles => Directory.EnumerateFiles(DataDir, "log-*").OrderBy(f => f, StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
