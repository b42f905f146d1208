using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// Writes one bucket (directory + file prefix): opens its in-use file, encodes a group of events
/// and appends them in one durable append, rolls by count and size, closes. Its counter is seeded
/// with the clock in ms as in Flume. A failed append abandons the file to the finisher, cut back to
/// what was acknowledged. Used only under the sink's gate.
/// </summary>
internal sealed partial class BucketWriter(string key, string directory, string prefix, long counterSeed, BucketWriterServices services)
{
    private const int MaxNameAttempts = 100;
    private long _counter = counterSeed;

    public string Key { get; } = key;

    public string Directory { get; } = directory;

    public string Prefix { get; } = prefix;

    public BucketFile? File { get; private set; }

    /// <summary>The <c>hdfs.idleTimeout</c> timer; armed and disposed by <see cref="OpenBuckets"/>.</summary>
    public ITimer? IdleTimer { get; set; }

    /// <summary>
    /// Appends <paramref name="events"/> (in order) to the bucket's file, opening and rolling files
    /// as needed; returns once every byte is durable. On failure nothing of the group is in a finished file.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var batch = services.Batch;
        batch.ResetWrittenCount();
        try
        {
            foreach (var @event in events)
            {
                if (File is { } full && services.Roll.IsFull(full))
                {
                    await FlushAsync(full, cancellationToken).ConfigureAwait(false);
                    await CloseAsync("roll", cancellationToken).ConfigureAwait(false);
                }
                var file = File ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
                if (!file.Started)
                {
                    file.Encoder.WriteFileHeader(batch);
                    file.Started = true;
                }
                file.Encoder.Write(@event, batch);
                file.EventCount++;
                file.BodyBytes += @event.Body.Length;
            }
            var current = File!;
            await FlushAsync(current, cancellationToken).ConfigureAwait(false);
            // Closed as soon as it is full rather than when the next event comes (as Flume does), so
            // a full file does not sit in use, invisible to readers, until more traffic arrives.
            if (services.Roll.IsFull(current))
            {
                await CloseAsync("roll", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            batch.ResetWrittenCount();
            // The directory itself may be what broke (removed under the file): create it again next time.
            services.Directories.Forget(Directory);
            if (Release() is { } failed)
            {
                await services.Finisher.FinishAbandonedAsync(failed, e).ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>Closes the open file, if any, and has it renamed to its final name.</summary>
    public async Task CloseAsync(string reason, CancellationToken cancellationToken)
    {
        if (Release() is { } file)
        {
            await services.Finisher.FinishClosedAsync(file, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes <paramref name="file"/> if it is still the one open (a roll timer may fire after the file rolled).</summary>
    public Task CloseIfOpenAsync(BucketFile file, string reason, CancellationToken cancellationToken) =>
        ReferenceEquals(File, file) ? CloseAsync(reason, cancellationToken) : Task.CompletedTask;

    // Stops writing the open file: it is no longer the bucket's, and its handle and timer are gone.
    private BucketFile? Release()
    {
        var file = File;
        if (file is null)
        {
            return null;
        }
        File = null;
        file.RollTimer?.Dispose();
        file.Output.Dispose();
        services.Counter.IncrementConnectionClosed();
        return file;
    }

    private async Task FlushAsync(BucketFile file, CancellationToken cancellationToken)
    {
        var batch = services.Batch;
        file.Encoder.EndBatch(batch);
        if (batch.WrittenCount == 0)
        {
            return;
        }
        var data = services.Gzip is null ? batch.WrittenMemory : services.Gzip.Compress(batch.WrittenSpan);
        await file.Output.AppendAsync(data, cancellationToken).ConfigureAwait(false);
        file.DurableLength += data.Length;
        batch.ResetWrittenCount();
    }

    private async Task<BucketFile> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await services.Directories.PrepareAsync(Directory, cancellationToken).ConfigureAwait(false);
            for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
            {
                var finalName = services.Naming.FinalName(Prefix, ++_counter);
                var finalPath = FileNaming.Combine(Directory, finalName);
                if (await services.FileSystem.GetStatusAsync(finalPath, cancellationToken).ConfigureAwait(false) is not null)
                {
                    continue;
                }
                var inUsePath = FileNaming.Combine(Directory, services.Naming.InUseName(finalName));
                if (await services.FileSystem.CreateAsync(inUsePath, cancellationToken).ConfigureAwait(false) is not { } output)
                {
                    continue;
                }
                var file = new BucketFile(output, inUsePath, finalPath, FileEncoders.Create(services.Settings, services.Time));
                if (services.Roll.RollsByTime)
                {
                    file.RollTimer = services.Time.CreateTimer(_ => services.RollDue(this, file), null, services.Roll.Interval, Timeout.InfiniteTimeSpan);
                }
                File = file;
                services.Counter.IncrementConnectionCreated();
                LogOpened(services.Logger, services.Sink, inUsePath);
                return file;
            }
            throw new IOException($"Sink {services.Sink} found no unused file name for prefix '{Prefix}' in {Directory} after {MaxNameAttempts} attempts");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory may have been removed: create (and scan) it again next time.
            services.Directories.Forget(Directory);
            services.Counter.IncrementConnectionFailed();
            LogOpenFailed(services.Logger, services.Sink, Directory, e);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} writing to {Path}")]
    private static partial void LogOpened(ILogger logger, string sink, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} cannot open a file in {Directory}; the batch stays in the channel")]
    private static partial void LogOpenFailed(ILogger logger, string sink, string directory, Exception error);
}
