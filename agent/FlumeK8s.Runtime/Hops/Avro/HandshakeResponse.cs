using System.Buffers;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// <c>org.apache.avro.ipc.HandshakeResponse {HandshakeMatch match; union{null,string}
/// serverProtocol; union{null,MD5} serverHash; union{null,map&lt;bytes&gt;} meta}</c>.
/// </summary>
public sealed record HandshakeResponse(HandshakeMatch Match, string? ServerProtocol, byte[]? ServerHash, IReadOnlyDictionary<string, byte[]>? Meta = null)
{
    internal void Write(IBufferWriter<byte> output)
    {
        AvroEncoder.WriteInt(output, (int)Match);
        HandshakeRequest.WriteOptionalString(output, ServerProtocol);
        AvroEncoder.WriteInt(output, ServerHash is null ? 0 : 1);
        if (ServerHash is not null)
        {
            AvroEncoder.WriteFixed(output, ServerHash, HandshakeRequest.HashSize);
        }
        HandshakeRequest.WriteOptionalMeta(output, Meta);
    }

    internal static HandshakeResponse Read(ref AvroReader reader)
    {
        var match = (HandshakeMatch)reader.ReadEnum(3, "HandshakeMatch");
        var serverProtocol = reader.ReadUnionIndex(2, "serverProtocol") == 1 ? reader.ReadString() : null;
        var serverHash = reader.ReadUnionIndex(2, "serverHash") == 1 ? reader.ReadFixed(HandshakeRequest.HashSize) : null;
        var meta = reader.ReadUnionIndex(2, "meta") == 1 ? reader.ReadBytesMap() : null;
        return new HandshakeResponse(match, serverProtocol, serverHash, meta);
    }
}
