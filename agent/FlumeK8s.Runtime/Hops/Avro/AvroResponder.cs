using System.Buffers;
using System.Collections.Concurrent;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.Delivery;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The server half of Avro RPC for Flume's protocol: the handshake, then <c>append</c> (one
/// event) and <c>appendBatch</c> (one channel transaction for the whole batch, or several when it
/// is larger than the channel's transactionCapacity), delivered through the source's
/// <see cref="RequestDelivery"/>. Anything but a commit answers FAILED, and
/// the client resends the whole call: nothing of a batch within one transaction was kept, parts of
/// a larger one committed before the refusal come again (at least once).
/// Client protocols learnt from handshakes are remembered by hash for every connection, as
/// Avro's responder does, so a client that sent its text once is known by its hash afterwards.
/// </summary>
internal sealed class AvroResponder(RequestDelivery delivery)
{
    // Bounds what hostile clients can make the source remember; beyond it a protocol still serves its own connection.
    private const int MaxRememberedProtocols = 64;

    private static readonly IReadOnlySet<string> LocalMessages = new HashSet<string>(StringComparer.Ordinal)
    {
        AvroSourceProtocol.AppendMessage,
        AvroSourceProtocol.AppendBatchMessage,
    };

    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _protocols = new(StringComparer.Ordinal)
    {
        [Convert.ToHexString(AvroSourceProtocol.Hash)] = LocalMessages,
    };

    /// <summary>Answers one request; the reply goes to <paramref name="reply"/>.</summary>
    /// <exception cref="AvroFormatException">The request cannot be decoded: the connection should be closed.</exception>
    public async ValueTask RespondAsync(byte[] request, AvroSession session, ArrayBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        var call = Decode(request, session);
        reply.Write(call.HandshakeReply);
        if (call.Error is { } error)
        {
            WriteError(reply, error);
            return;
        }
        if (call.Message is null)
        {
            return;
        }
        var kind = call.Message == AvroSourceProtocol.AppendMessage ? DeliveryCall.Append : DeliveryCall.AppendBatch;
        var outcome = await delivery.DeliverAsync(call.Events, kind, cancellationToken).ConfigureAwait(false);
        // Avro's Status has no word for why: every outcome but a commit is FAILED, and the client resends.
        WriteStatus(reply, outcome.IsCommitted ? AvroStatus.Ok : AvroStatus.Failed);
    }

    private AvroCall Decode(byte[] request, AvroSession session)
    {
        var reader = new AvroReader(request);
        var handshakeReply = Array.Empty<byte>();
        if (session.RemoteMessages is null)
        {
            var (response, messages) = Handshake(HandshakeRequest.Read(ref reader));
            var buffer = new ArrayBufferWriter<byte>(256);
            response.Write(buffer);
            handshakeReply = buffer.WrittenSpan.ToArray();
            if (messages is null)
            {
                return new AvroCall(handshakeReply, null, []);
            }
            session.RemoteMessages = messages;
        }
        reader.ReadBytesMap();
        var message = reader.ReadString();
        if (message.Length == 0)
        {
            return new AvroCall(handshakeReply, null, []);
        }
        if (!session.RemoteMessages.Contains(message) || !LocalMessages.Contains(message))
        {
            return new AvroCall(handshakeReply, null, [], $"No such message: {message}");
        }
        var events = new List<Event>();
        if (message == AvroSourceProtocol.AppendMessage)
        {
            events.Add(AvroFlumeEventCodec.Read(ref reader));
        }
        else
        {
            AvroFlumeEventCodec.ReadArray(ref reader, events);
        }
        return new AvroCall(handshakeReply, message, events);
    }

    private (HandshakeResponse Response, IReadOnlySet<string>? Messages) Handshake(HandshakeRequest request)
    {
        var clientKey = Convert.ToHexString(request.ClientHash);
        if (!_protocols.TryGetValue(clientKey, out var messages) && request.ClientProtocol is { } text)
        {
            messages = AvroSourceProtocol.TryReadMessages(text, out var problem)
                ?? throw new AvroFormatException($"Client protocol refused: {problem}");
            if (_protocols.Count < MaxRememberedProtocols)
            {
                _protocols.TryAdd(clientKey, messages);
            }
        }
        var match = messages is null ? HandshakeMatch.None
            : request.ServerHash.AsSpan().SequenceEqual(AvroSourceProtocol.Hash) ? HandshakeMatch.Both
            : HandshakeMatch.Client;
        var response = match == HandshakeMatch.Both
            ? new HandshakeResponse(match, null, null)
            : new HandshakeResponse(match, AvroSourceProtocol.Json, AvroSourceProtocol.Hash);
        return (response, messages);
    }

    private static void WriteStatus(IBufferWriter<byte> reply, AvroStatus status)
    {
        AvroEncoder.WriteLong(reply, 0);
        AvroEncoder.WriteBoolean(reply, false);
        AvroEncoder.WriteInt(reply, (int)status);
    }

    // Avro's system errors are the union [string]: branch 0, then the message. Without a handshake
    // response in front, so only for a connection whose handshake is done.
    internal static void WriteError(IBufferWriter<byte> reply, string error)
    {
        AvroEncoder.WriteLong(reply, 0);
        AvroEncoder.WriteBoolean(reply, true);
        AvroEncoder.WriteInt(reply, 0);
        AvroEncoder.WriteString(reply, error);
    }
}
