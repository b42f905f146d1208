using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>
/// One client of the netcat source. Each read is cut into lines; with ack-every-event each line is
/// its own transaction answered "OK" or "FAILED: …", otherwise the lines of one read go to the
/// channel in transactions of up to batchSize and only failures are answered, one "FAILED: …" per
/// line so the client can count what it must resend. Replies of one read are sent together.
/// </summary>
internal sealed partial class NetcatConnection(
    Socket socket,
    NetcatSourceSettings settings,
    NetcatReplies replies,
    ChannelProcessor processor,
    SourceCounter counter,
    ILogger logger)
{
    private readonly NetcatLineFramer _framer = new(settings.MaxLineLength, settings.Encoding);
    private readonly List<NetcatLine> _lines = [];
    private readonly List<Event> _batch = [];
    private readonly ArrayBufferWriter<byte> _replies = new(256);
    private readonly string _remote = socket.RemoteEndPoint?.ToString() ?? "unknown";

    /// <summary>Serves the client until it or the source closes the connection; never faults.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        counter.ConnectionOpened();
        try
        {
            await ServeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The source is stopping: closing the connection is all that is left to do.
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            LogConnectionLost(logger, _remote, e.Message);
        }
        catch (Exception e)
        {
            counter.IncrementGenericProcessingFail();
            LogConnectionFailed(logger, _remote, e);
        }
        finally
        {
            socket.Dispose();
            counter.ConnectionClosed();
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                // Lines own copies of their bytes, so the buffer can be released before they are written.
                var consumed = _framer.Frame(buffer, read.IsCompleted, _lines);
                input.AdvanceTo(consumed, buffer.End);
                await HandleLinesAsync(cancellationToken).ConfigureAwait(false);
                if (_replies.WrittenCount > 0)
                {
                    await stream.WriteAsync(_replies.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    _replies.Clear();
                }
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask HandleLinesAsync(CancellationToken cancellationToken)
    {
        foreach (var line in _lines)
        {
            if (line.IsTooLong)
            {
                // Earlier lines are written first so replies stay in the order of the lines.
                await WriteBatchAsync(cancellationToken).ConfigureAwait(false);
                counter.IncrementEventReadFail();
                LogLineTooLong(logger, _remote, settings.MaxLineLength);
                _replies.Write(replies.TooLong);
                continue;
            }
            counter.AddEventsReceived(1);
            _batch.Add(new Event(line.Body!));
            if (settings.AckEveryEvent || _batch.Count >= settings.BatchSize)
            {
                await WriteBatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        _lines.Clear();
        await WriteBatchAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteBatchAsync(CancellationToken cancellationToken)
    {
        var count = _batch.Count;
        if (count == 0)
        {
            return;
        }
        try
        {
            await processor.ProcessBatchAsync(_batch, cancellationToken).ConfigureAwait(false);
            counter.AddEventsAccepted(count);
            if (settings.AckEveryEvent)
            {
                _replies.Write(replies.Ok);
            }
        }
        catch (ChannelException e)
        {
            counter.IncrementChannelWriteFail();
            LogChannelRefused(logger, _remote, count, e.Message);
            var failed = replies.Failed(e.Message);
            for (var i = 0; i < count; i++)
            {
                _replies.Write(failed);
            }
        }
        finally
        {
            _batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Netcat client {Remote} disconnected: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Netcat connection from {Remote} failed and was closed")]
    private static partial void LogConnectionFailed(ILogger logger, string remote, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Netcat client {Remote} sent a line longer than {MaxLineLength} chars; it was refused")]
    private static partial void LogLineTooLong(ILogger logger, string remote, int maxLineLength);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel refused {Count} events from netcat client {Remote}; the client was told: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, string remote, int count, string reason);
}
