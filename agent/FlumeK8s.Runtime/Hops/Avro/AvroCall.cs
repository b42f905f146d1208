using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// A decoded request: the handshake reply (if the request carried a handshake) and what to run.
/// <see cref="Message"/> is null when there is nothing to run (handshake NONE, or a ping).
/// </summary>
internal sealed record AvroCall(byte[] HandshakeReply, string? Message, List<Event> Events, string? Error = null);
