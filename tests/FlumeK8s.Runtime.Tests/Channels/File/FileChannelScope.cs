using FlumeK8s.Runtime.Channels.File;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// One test's channels and directories: opens channels on the main fixture or on crash copies and
/// stops and deletes them all at the end, whatever the test left open.
/// </summary>
public sealed class FileChannelScope : IDisposable
{
    private readonly List<FileChannel> _channels = [];
    private readonly List<FileChannelFixture> _fixtures = [];

    public FileChannelScope()
    {
        Fixture = Track(new FileChannelFixture());
    }

    public FileChannelFixture Fixture { get; }

    public async Task<FileChannel> OpenAsync(FileChannelSettings? settings = null, IStorage? storage = null, ILoggerFactory? logs = null)
    {
        var channel = await Fixture.OpenAsync(settings, storage, logs: logs);
        _channels.Add(channel);
        return channel;
    }

    /// <summary>Starts a channel the test built itself (internal options), stopped at the end like the rest.</summary>
    public async Task<FileChannel> StartAsync(FileChannel channel)
    {
        _channels.Add(channel);
        await channel.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return channel;
    }

    /// <summary>Opens a channel on <paramref name="fixture"/> (a crash copy) with the given settings rebased onto it.</summary>
    public async Task<FileChannel> OpenOnAsync(FileChannelFixture fixture, FileChannelSettings settings, IStorage? storage = null, ILoggerFactory? logs = null)
    {
        var rebased = settings with
        {
            CheckpointDir = fixture.CheckpointDir,
            DataDirs = [fixture.DataDir],
            BackupCheckpointDir = settings.BackupCheckpointDir is null ? null : fixture.BackupDir,
        };
        var channel = await fixture.OpenAsync(rebased, storage, logs: logs);
        _channels.Add(channel);
        return channel;
    }

    /// <summary>The files a crash would leave now (see <see cref="FileChannelFixture.CopyAsCrashed"/>).</summary>
    public FileChannelFixture Crash() => Crash(Fixture);

    /// <summary>The files a crash of a channel on <paramref name="fixture"/> would leave now.</summary>
    public FileChannelFixture Crash(FileChannelFixture fixture) => Track(fixture.CopyAsCrashed());

    public static Task StopAsync(FileChannel channel) => channel.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        foreach (var channel in Enumerable.Reverse(_channels))
        {
            channel.StopAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(30));
        }
        foreach (var fixture in _fixtures)
        {
            fixture.Dispose();
        }
    }

    private FileChannelFixture Track(FileChannelFixture fixture)
    {
        _fixtures.Add(fixture);
        return fixture;
    }
}
