using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// One client of the avro source: TLS and inflate/deflate as configured, then frames answered in
/// the order they come, each reply carrying its request's serial. Bad bytes (a broken frame, an
/// undecodable request) close this connection, refused through the source's delivery (counted and
/// logged there); nothing of that request reaches the channel, and the source's other connections
/// are not affected. A frame over
/// max-frame-size on a connection whose handshake is done is answered first, with an error the
/// avro sink recognises (it splits the batch), before the connection closes.
/// </summary>
internal sealed partial class AvroSourceConnection(
    Socket socket,
    AvroSourceSettings settings,
    X509Certificate2? certificate,
    AvroResponder responder,
    RequestDelivery delivery,
    SourceCounter counter,
    TimeProvider time,
    ILogger logger)
{
    // How long a refused frame's remaining bytes are read and dropped while the client reads the
    // refusal. Closing with unread input makes the kernel reset the connection, and a reset can
    // destroy the reply before the client reads it; the avro sink hangs up as soon as it has read it.
    private static readonly TimeSpan RefusalLinger = TimeSpan.FromSeconds(10);

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
        catch (NettyFrameTooLargeException e)
        {
            delivery.Refuse(DeliveryStatus.TooLarge, _remote, e.Message);
        }
        catch (AvroFormatException e)
        {
            delivery.Refuse(DeliveryStatus.Malformed, _remote, e.Message);
        }
        catch (InvalidDataException e)
        {
            delivery.Refuse(DeliveryStatus.Malformed, _remote, "not a zlib stream: " + e.Message);
        }
        catch (AuthenticationException e)
        {
            LogTlsFailed(logger, _remote, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            LogConnectionLost(logger, _remote, e.Message);
        }
        catch (Exception e)
        {
            delivery.Fail(_remote, e);
        }
        finally
        {
            socket.Dispose();
            counter.ConnectionClosed();
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        Stream connection = new NetworkStream(socket, ownsSocket: false);
        if (certificate is not null)
        {
            var tls = new SslStream(connection, leaveInnerStreamOpen: false);
            connection = tls;
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = settings.Ssl!.Protocols,
                    ClientCertificateRequired = false,
                },
                cancellationToken).ConfigureAwait(false);
        }
        await using var transport = AvroTransport.Create(connection, settings.Deflate, compressionLevel: 6);
        var input = PipeReader.Create(transport.Input, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            var frames = new NettyFrameReader(input, settings.MaxFrameBytes);
            var writer = new NettyFrameWriter(transport.Output);
            var session = new AvroSession();
            var reply = new ArrayBufferWriter<byte>(256);
            while (true)
            {
                NettyFrame? frame;
                try
                {
                    frame = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (NettyFrameTooLargeException e) when (session.RemoteMessages is not null)
                {
                    reply.ResetWrittenCount();
                    AvroResponder.WriteError(reply, $"{AvroSourceProtocol.FrameTooLargeError} ({settings.MaxFrameBytes} bytes): {e.Message}");
                    await writer.WriteAsync(e.Serial, reply.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    await DrainAsync(input, cancellationToken).ConfigureAwait(false);
                    throw;
                }
                if (frame is not { } call)
                {
                    return;
                }
                reply.ResetWrittenCount();
                await responder.RespondAsync(call.Payload, session, reply, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(call.Serial, reply.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(PipeReader input, CancellationToken cancellationToken)
    {
        using var linger = new CancellationTokenSource(RefusalLinger, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, linger.Token);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(both.Token).ConfigureAwait(false);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (linger.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The client kept sending: it had its answer for that long, the connection closes now.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS handshake with avro client {Remote} failed: {Reason}")]
    private static partial void LogTlsFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Avro client {Remote} disconnected: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string remote, string reason);
}
