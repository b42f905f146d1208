using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>A bare socket to an avro source for tests that write exactly the bytes they mean (handshake paths, bad input).</summary>
internal sealed class RawAvroClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly NettyFrameReader _frames;

    private RawAvroClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _frames = new NettyFrameReader(PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true)), 1 << 20);
    }

    public static async Task<RawAvroClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
        return new RawAvroClient(tcp);
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async Task SendAsync(int serial, Action<ArrayBufferWriter<byte>> writePayload)
    {
        var payload = new ArrayBufferWriter<byte>();
        writePayload(payload);
        var frame = new ArrayBufferWriter<byte>();
        NettyFrameWriter.Encode(frame, serial, payload.WrittenSpan);
        await SendRawAsync(frame.WrittenSpan.ToArray());
    }

    public async Task<NettyFrame> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _frames.ReadAsync(timeout.Token) ?? throw new IOException("The source closed the connection");
    }

    /// <summary>True once the source has closed its end (a read sees the end of the stream or a reset).</summary>
    public async Task<bool> IsClosedBySourceAsync()
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
