using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Channels.Spillable;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>A temporary directory for spillable channels' overflow stores; stops what it opened.</summary>
public sealed class SpillableChannelFixture : IDisposable
{
    private readonly List<SpillableMemoryChannel> _open = [];

    public SpillableChannelFixture()
    {
        Root = Directory.CreateTempSubdirectory("flumek8s-spillable-channel-").FullName;
    }

    public string Root { get; }

    /// <summary>Channel settings for tests: no waiting for room, overflow in <paramref name="directory"/> under the root.</summary>
    public SpillableMemoryChannelSettings Settings(int memoryCapacity, int overflowCapacity, int transactionCapacity = 100, string directory = "store") =>
        new(new FileChannelSettings(Path.Combine(Root, directory, "checkpoint"), [Path.Combine(Root, directory, "data")],
                MinimumRequiredSpace: 0, CheckpointInterval: TimeSpan.FromHours(1)),
            memoryCapacity, overflowCapacity, transactionCapacity,
            OverflowTimeout: TimeSpan.Zero, KeepAlive: TimeSpan.Zero, ByteCapacity: 1L << 30);

    public async Task<SpillableMemoryChannel> OpenAsync(SpillableMemoryChannelSettings settings, IStorage? storage = null, TimeProvider? time = null)
    {
        var channel = new SpillableMemoryChannel("c1", settings, time ?? TimeProvider.System, NullLoggerFactory.Instance, storage);
        await channel.StartAsync(CancellationToken.None);
        _open.Add(channel);
        return channel;
    }

    /// <summary>What a crash leaves behind: the store's files as they are now (the log is fsynced at
    /// every commit), copied while the channel still runs. The lock files are the live process's.</summary>
    public void CopyStore(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, from), "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "in_use.lock")
            {
                continue;
            }
            var target = Path.Combine(Root, to, Path.GetRelativePath(Path.Combine(Root, from), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        foreach (var channel in _open)
        {
            channel.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        Directory.Delete(Root, recursive: true);
    }
}
