using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>
/// An avro server whose protocol hash is not ours (like a Flume of another release) and whose
/// answers a test scripts: it records every handshake and batch, answers NONE to a client it does
/// not know yet, and can reply late, with a stray serial first, or not at all.
/// </summary>
internal sealed class ScriptedAvroServer : IAsyncDisposable
{
    public static readonly byte[] ServerHash = [.. Enumerable.Repeat((byte)0x77, 16)];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentDictionary<string, bool> _knownClients = new();

    public ScriptedAvroServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<HandshakeRequest> Handshakes { get; } = new();

    public ConcurrentQueue<int> Batches { get; } = new();

    public AvroStatus Status { get; set; } = AvroStatus.Ok;

    /// <summary>When set, calls are answered with this Avro error instead of a status.</summary>
    public string? Error { get; set; }

    /// <summary>Completes handshakes but never answers a call: a hung receiver.</summary>
    public bool Silent { get; set; }

    public bool StrayReplyFirst { get; set; }

    public int Connections;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref Connections);
                connections.Add(ServeAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        var frames = new NettyFrameReader(PipeReader.Create(stream), 1 << 20);
        var writer = new NettyFrameWriter(stream);
        var established = false;
        try
        {
            while (await frames.ReadAsync(_stop.Token) is { } frame)
            {
                var reply = Respond(frame.Payload, ref established, out var handshakeOnly);
                if (Silent && !handshakeOnly)
                {
                    continue;
                }
                if (StrayReplyFirst)
                {
                    await writer.WriteAsync(frame.Serial + 1000, reply, _stop.Token);
                }
                await writer.WriteAsync(frame.Serial, reply, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client or the test hung up.
        }
    }

    private byte[] Respond(byte[] payload, ref bool established, out bool handshakeOnly)
    {
        handshakeOnly = false;
        var reader = new AvroReader(payload);
        var reply = new ArrayBufferWriter<byte>();
        if (!established)
        {
            var handshake = HandshakeRequest.Read(ref reader);
            Handshakes.Enqueue(handshake);
            var client = Convert.ToHexString(handshake.ClientHash);
            if (handshake.ClientProtocol is not null)
            {
                _knownClients[client] = true;
            }
            if (!_knownClients.ContainsKey(client))
            {
                handshakeOnly = true;
                new HandshakeResponse(HandshakeMatch.None, "{\"protocol\":\"AvroSourceProtocol\"}", ServerHash).Write(reply);
                return reply.WrittenSpan.ToArray();
            }
            var both = handshake.ServerHash.AsSpan().SequenceEqual(ServerHash);
            (both ? new HandshakeResponse(HandshakeMatch.Both, null, null) : new HandshakeResponse(HandshakeMatch.Client, "{}", ServerHash)).Write(reply);
            established = true;
        }
        reader.ReadBytesMap();
        var message = reader.ReadString();
        if (message.Length == 0)
        {
            handshakeOnly = true;
            return reply.WrittenSpan.ToArray();
        }
        Assert.Equal("appendBatch", message);
        var events = new List<Event>();
        AvroFlumeEventCodec.ReadArray(ref reader, events);
        Batches.Enqueue(events.Count);
        AvroEncoder.WriteLong(reply, 0);
        if (Error is { } error)
        {
            AvroEncoder.WriteBoolean(reply, true);
            AvroEncoder.WriteInt(reply, 0);
            AvroEncoder.WriteString(reply, error);
            return reply.WrittenSpan.ToArray();
        }
        AvroEncoder.WriteBoolean(reply, false);
        AvroEncoder.WriteInt(reply, (int)Status);
        return reply.WrittenSpan.ToArray();
    }
}
