using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The client half of Avro RPC for Flume's protocol, over one connection. The first call (the sink
/// makes it a ping) carries a handshake with the client's hash and no protocol text; a NONE reply
/// means the server did not run the call, so it is sent again with the text. Once BOTH or CLIENT
/// came back, calls carry no handshake. Calls are numbered 1, 2, … and replies are matched by serial.
/// </summary>
internal sealed partial class AvroRpcClient : IAsyncDisposable
{
    private readonly AvroTransport _transport;
    private readonly PipeReader _input;
    private readonly NettyFrameReader _frames;
    private readonly NettyFrameWriter _writer;
    private readonly AvroServerHash _serverHash;
    private readonly TimeProvider _time;
    private readonly TimeSpan _requestTimeout;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _request = new(4096);
    private int _serial;
    private bool _established;
    private bool _sendProtocol;

    private AvroRpcClient(AvroTransport transport, AvroSinkSettings settings, AvroServerHash serverHash, TimeProvider time, ILogger logger)
    {
        _transport = transport;
        _input = PipeReader.Create(transport.Input, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        _frames = new NettyFrameReader(_input, settings.MaxFrameBytes);
        _writer = new NettyFrameWriter(transport.Output);
        _serverHash = serverHash;
        _time = time;
        _requestTimeout = settings.RequestTimeout;
        _logger = logger;
    }

    /// <summary>Connects (and completes TLS) within <c>connect-timeout</c>.</summary>
    public static async Task<AvroRpcClient> ConnectAsync(
        AvroSinkSettings settings, AvroServerTrust? trust, AvroServerHash serverHash, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(settings.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? connection = null;
        try
        {
            await socket.ConnectAsync(settings.Hostname, settings.Port, linked.Token).ConfigureAwait(false);
            connection = new NetworkStream(socket, ownsSocket: true);
            if (settings.Ssl is { } ssl)
            {
                var tls = new SslStream(connection, leaveInnerStreamOpen: false, trust!.Validate);
                connection = tls;
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = settings.Hostname, EnabledSslProtocols = ssl.Protocols },
                    linked.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            if (e is OperationCanceledException && timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No connection to {settings.Hostname}:{settings.Port} within {settings.ConnectTimeout.TotalMilliseconds} ms");
            }
            throw;
        }
        return new AvroRpcClient(AvroTransport.Create(connection, settings.Deflate, settings.CompressionLevel), settings, serverHash, time, logger);
    }

    /// <summary>Runs one call and returns the server's status; an error reply throws <see cref="AvroRemoteException"/>.</summary>
    /// <exception cref="TimeoutException">No reply within <c>request-timeout</c>; the connection is then unusable.</exception>
    public Task<AvroStatus> CallAsync(string message, Action<IBufferWriter<byte>> writeParameters, CancellationToken cancellationToken) =>
        ExchangeAsync(message, writeParameters, cancellationToken);

    /// <summary>
    /// Completes the handshake with a ping (the empty message name, whose reply is the handshake
    /// response alone), so the calls that follow carry none. Then the server can refuse even a call
    /// it will not read (a frame over its max-frame-size) with an error reply: only a handshake
    /// response would have needed the request's content.
    /// </summary>
    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        if (!_established)
        {
            await ExchangeAsync("", static _ => { }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AvroStatus> ExchangeAsync(string message, Action<IBufferWriter<byte>> writeParameters, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            while (true)
            {
                var serial = ++_serial;
                BuildRequest(message, writeParameters);
                await _writer.WriteAsync(serial, _request.WrittenMemory, linked.Token).ConfigureAwait(false);
                var reply = await ReadReplyAsync(serial, linked.Token).ConfigureAwait(false);
                if (TryReadReply(reply, message, out var status))
                {
                    return status;
                }
                LogResendingWithProtocol(_logger, message);
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No reply to {(message.Length == 0 ? "the handshake" : message)} within {_requestTimeout.TotalMilliseconds} ms");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private void BuildRequest(string message, Action<IBufferWriter<byte>> writeParameters)
    {
        _request.ResetWrittenCount();
        if (!_established)
        {
            new HandshakeRequest(AvroSourceProtocol.Hash, _sendProtocol ? AvroSourceProtocol.Json : null, _serverHash.Guess).Write(_request);
        }
        AvroEncoder.WriteLong(_request, 0);
        AvroEncoder.WriteString(_request, message);
        writeParameters(_request);
    }

    private async Task<byte[]> ReadReplyAsync(int serial, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await _frames.ReadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("The avro server closed the connection before replying");
            if (frame.Serial == serial)
            {
                return frame.Payload;
            }
            LogStrayReply(_logger, frame.Serial, serial);
        }
    }

    /// <summary>The call's status (Ok for a ping); false when the handshake said NONE and the call must be sent again with the protocol.</summary>
    private bool TryReadReply(byte[] reply, string message, out AvroStatus status)
    {
        status = AvroStatus.Ok;
        var reader = new AvroReader(reply);
        if (!_established)
        {
            var handshake = HandshakeResponse.Read(ref reader);
            switch (handshake.Match)
            {
                case HandshakeMatch.Both:
                    break;
                case HandshakeMatch.Client:
                    _serverHash.Learn(handshake.ServerHash);
                    break;
                default:
                    if (_sendProtocol)
                    {
                        throw new AvroFormatException("The avro server did not accept this client's protocol (handshake NONE after sending it)");
                    }
                    _serverHash.Learn(handshake.ServerHash);
                    _sendProtocol = true;
                    return false;
            }
            _established = true;
            _sendProtocol = false;
        }
        if (message.Length == 0)
        {
            return true;
        }
        reader.ReadBytesMap();
        if (reader.ReadBoolean())
        {
            reader.ReadUnionIndex(1, "error");
            throw new AvroRemoteException(reader.ReadString());
        }
        status = (AvroStatus)reader.ReadEnum(3, "Status");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Avro server does not know this client's protocol; resending {Message} with it")]
    private static partial void LogResendingWithProtocol(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Avro server replied to call {Serial} while call {Expected} was waiting; that reply is ignored")]
    private static partial void LogStrayReply(ILogger logger, int serial, int expected);
}
