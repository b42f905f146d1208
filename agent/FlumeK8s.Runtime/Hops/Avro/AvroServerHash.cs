namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The avro sink's guess of its server's protocol hash, learnt from CLIENT and NONE handshake
/// replies and kept across reconnections (Avro's requestor keeps it per remote the same way).
/// Until a server told it, the guess is that the server speaks the sink's own protocol.
/// </summary>
internal sealed class AvroServerHash
{
    private byte[]? _known;

    public byte[] Guess => Volatile.Read(ref _known) ?? AvroSourceProtocol.Hash;

    public void Learn(byte[]? hash)
    {
        if (hash is { Length: HandshakeRequest.HashSize })
        {
            Volatile.Write(ref _known, hash);
        }
    }
}
