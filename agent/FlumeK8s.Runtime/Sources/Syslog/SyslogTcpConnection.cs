using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// One client connection: reads framed messages, parses them and hands them to the channel in
/// batches. When the channel refuses a batch the connection keeps it and retries with a growing
/// pause, reading nothing meanwhile, so TCP flow control slows the sender down: backpressure
/// instead of loss.
/// </summary>
internal sealed class SyslogTcpConnection(SyslogTcpServer server, Socket socket, SyslogParser parser)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);
    private readonly string _client = socket.RemoteEndPoint?.ToString() ?? "unknown client";

    // Events read but not yet committed: lost if the source stops while the channel refuses them.
    private int _held;

    /// <summary>Serves the client until it or the source closes the connection.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        server.Counter.ConnectionOpened();
        var options = server.Options;
        PipeReader? reader = null;
        try
        {
            reader = PipeReader.Create(
                new NetworkStream(socket, ownsSocket: true),
                new StreamPipeReaderOptions(bufferSize: options.ReadBufferBytes, minimumReadSize: Math.Min(options.ReadBufferBytes, 1024)));
            var headers = await ConnectionHeadersAsync(cancellationToken).ConfigureAwait(false);
            await ReadMessagesAsync(reader, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (_held > 0)
            {
                SyslogLog.StoppedHolding(server.Logger, server.SourceName, _held, _client);
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            server.Counter.IncrementEventReadFail();
            SyslogLog.ReadFailed(server.Logger, server.SourceName, _client, e);
        }
        finally
        {
            if (reader is null)
            {
                socket.Dispose();
            }
            else
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
            server.Counter.ConnectionClosed();
        }
    }

    private async Task ReadMessagesAsync(PipeReader reader, KeyValuePair<string, string>[] headers, CancellationToken cancellationToken)
    {
        var decoder = new SyslogFrameDecoder(server.Options.EventSize);
        var batch = new List<Event>(server.Options.BatchSize);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (decoder.TryRead(ref buffer, result.IsCompleted, out var frame))
            {
                batch.Add(BuildEvent(frame, headers));
                if (batch.Count >= server.Options.BatchSize && !await DeliverAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            reader.AdvanceTo(buffer.Start, result.Buffer.End);
            if (batch.Count > 0 && !await DeliverAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private Event BuildEvent(SyslogFrame frame, KeyValuePair<string, string>[] headers)
    {
        var @event = parser.Parse(frame.Bytes, frame.Truncated);
        if (@event.GetHeader(SyslogHeaders.Status) is { } status)
        {
            SyslogLog.MarkedMessage(server.Logger, server.SourceName, _client, status);
        }
        foreach (var (key, value) in headers)
        {
            @event.Headers[key] = value;
        }
        return @event;
    }

    /// <returns>False when the batch could not be delivered for a reason other than a full or failing channel: the connection closes.</returns>
    private async Task<bool> DeliverAsync(List<Event> batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        _held = count;
        server.Counter.AddEventsReceived(count);
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Interceptors may remove events from the list; a retry offers what they kept, which they keep again.
                await server.Processor.ProcessBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                if (attempt > 1)
                {
                    SyslogLog.ChannelRecovered(server.Logger, server.SourceName, _client, attempt);
                }
                server.Counter.AddEventsAccepted(count);
                batch.Clear();
                _held = 0;
                return true;
            }
            catch (ChannelException e)
            {
                server.Counter.IncrementChannelWriteFail();
                if (attempt == 1)
                {
                    SyslogLog.ChannelRefused(server.Logger, server.SourceName, count, _client, e.Message);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                server.Counter.IncrementGenericProcessingFail();
                SyslogLog.ProcessingFailed(server.Logger, server.SourceName, _client, count, e);
                batch.Clear();
                _held = 0;
                return false;
            }
            await Task.Delay(delay, server.Time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Headers that are the same for every message of this connection.</summary>
    private async Task<KeyValuePair<string, string>[]> ConnectionHeadersAsync(CancellationToken cancellationToken)
    {
        var options = server.Options;
        var headers = new List<KeyValuePair<string, string>>(3);
        if (options.PortHeader is { } portHeader && socket.LocalEndPoint is IPEndPoint local)
        {
            headers.Add(new(portHeader, local.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (socket.RemoteEndPoint is IPEndPoint remote)
        {
            if (options.ClientIpHeader is { } ipHeader)
            {
                headers.Add(new(ipHeader, ClientHostnames.Ip(remote.Address)));
            }
            if (options.ClientHostnameHeader is { } hostHeader && server.Hostnames is { } hostnames)
            {
                headers.Add(new(hostHeader, await hostnames.LookupAsync(remote.Address, cancellationToken).ConfigureAwait(false)));
            }
        }
        return [.. headers];
    }
}
