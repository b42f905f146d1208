using System.Buffers;
using System.Collections.Concurrent;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Disk;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>
/// Flume's <c>file_roll</c>: appends each batch to the current file in <c>sink.directory</c>
/// and starts a new file every <c>sink.rollInterval</c>.
/// <para>
/// A batch is serialized in memory and written with one positioned, unbuffered write before the
/// take commits, so what the channel forgets is in the file (in the OS; there is no fsync, as in
/// Flume). A failed write cuts the file back to its last committed length (or deletes it if that
/// is zero) and closes it: the batch rolls back into the channel, the next attempt starts a new
/// file, and no file holds half a batch. With batches in flight, each is serialized on its own
/// buffer outside the lock and written under it in the order the batches were taken; the length a failed write cuts back to includes
/// every batch written before it, so a failure never takes back another batch's output. On Linux a file whose directory was removed still
/// accepts writes, into nothing; the write is only trusted once the file is seen to still exist.
/// </para>
/// <para>
/// Differences from Flume: a file is opened with the first batch that needs it, so an idle sink
/// leaves no empty files behind; it is closed <c>sink.rollInterval</c> after it was opened, whether
/// or not more events come; an existing file is never overwritten (its name is skipped).
/// </para>
/// </summary>
public sealed partial class FileRollSink : BatchSink, ILifecycle
{
    private const int MaxNameAttempts = 1000;
    private readonly object _gate = new();
    private readonly FileRollSinkSettings _settings;
    private readonly IEventSerializer _serializer;
    private readonly IRollPathManager _paths;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // A buffer per batch being serialized (as many as batches in flight, once warm).
    private readonly ConcurrentQueue<ArrayBufferWriter<byte>> _buffers = new();
    private RolledFile? _file;

    public FileRollSink(string name, IChannel channel, FileRollSinkSettings settings, TimeProvider time, ILogger logger)
        : base(name, "file_roll", channel, settings.BatchSize)
    {
        _settings = settings;
        _serializer = settings.CreateSerializer();
        _paths = settings.CreatePathManager(time.GetUtcNow());
        _time = time;
        _logger = logger;
    }

    /// <summary>The file being written, or null when none is open.</summary>
    public string? CurrentFile
    {
        get
        {
            lock (_gate)
            {
                return _file?.Path;
            }
        }
    }

    /// <summary>
    /// Fails when the directory cannot be created or written (a volume owned by root, say): the
    /// runner tries the start again until it can, and /readyz says why meanwhile.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_settings.Directory);
        DirectoryAccess.EnsureWritable(_settings.Directory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_file is { } file)
            {
                Close(file);
            }
        }
        return Task.CompletedTask;
    }

    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var buffer = _buffers.TryDequeue(out var spare) ? spare : new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            foreach (var @event in batch)
            {
                _serializer.Write(@event, buffer);
            }
            await WaitForTurnAsync(batch, cancellationToken).ConfigureAwait(false);
            Append(buffer.WrittenSpan);
        }
        finally
        {
            EndTurn(batch);
            buffer.ResetWrittenCount();
            _buffers.Enqueue(buffer);
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            var file = _file ?? Open();
            try
            {
                RandomAccess.Write(file.Handle, bytes, file.Length);
                if (!File.Exists(file.Path))
                {
                    throw new IOException($"File {file.Path} was removed while sink {Name} was writing to it");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Abandon(file);
                throw;
            }
            file.Length += bytes.Length;
        }
    }

    private RolledFile Open()
    {
        string path;
        SafeFileHandle handle;
        try
        {
            Directory.CreateDirectory(_settings.Directory);
            path = UnusedPath();
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Counter.IncrementConnectionFailed();
            throw;
        }
        Counter.IncrementConnectionCreated();
        var file = new RolledFile(path, handle);
        if (_settings.RollInterval > TimeSpan.Zero)
        {
            file.RollTimer = _time.CreateTimer(OnRollDue, file, _settings.RollInterval, Timeout.InfiniteTimeSpan);
        }
        _file = file;
        LogOpened(_logger, Name, path);
        return file;
    }

    private string UnusedPath()
    {
        for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
        {
            var path = Path.Combine(_settings.Directory, _paths.NextFileName(_time.GetUtcNow()));
            if (!File.Exists(path))
            {
                return path;
            }
        }
        throw new IOException($"Sink {Name} found no unused file name in {_settings.Directory} after {MaxNameAttempts} attempts");
    }

    private void OnRollDue(object? state)
    {
        lock (_gate)
        {
            if (_file is { } file && ReferenceEquals(file, state))
            {
                Close(file);
            }
        }
    }

    private void Close(RolledFile file)
    {
        _file = null;
        file.RollTimer?.Dispose();
        file.Handle.Dispose();
        Counter.IncrementConnectionClosed();
        LogClosed(_logger, Name, file.Path, file.Length);
    }

    /// <summary>Takes back a failed batch's bytes and closes the file.</summary>
    private void Abandon(RolledFile file)
    {
        _file = null;
        file.RollTimer?.Dispose();
        try
        {
            if (file.Length == 0)
            {
                file.Handle.Dispose();
                File.Delete(file.Path);
            }
            else
            {
                RandomAccess.SetLength(file.Handle, file.Length);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(_logger, Name, file.Path, file.Length, e);
        }
        finally
        {
            file.Handle.Dispose();
        }
        Counter.IncrementConnectionClosed();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} writing to {Path}")]
    private static partial void LogOpened(ILogger logger, string sink, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} closed {Path} ({Bytes} bytes)")]
    private static partial void LogClosed(ILogger logger, string sink, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} could not cut {Path} back to {Bytes} bytes after a failed write; the file may end with part of a batch that is still in the channel")]
    private static partial void LogCleanupFailed(ILogger logger, string sink, string path, long bytes, Exception error);

    private sealed class RolledFile(string path, SafeFileHandle handle)
    {
        public string Path { get; } = path;

        public SafeFileHandle Handle { get; } = handle;

        /// <summary>Bytes of batches written whole (their takes committed or committing); the next batch is written here.</summary>
        public long Length { get; set; }

        public ITimer? RollTimer { get; set; }
    }
}
