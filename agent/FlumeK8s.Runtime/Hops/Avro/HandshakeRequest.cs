using System.Buffers;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// <c>org.apache.avro.ipc.HandshakeRequest {MD5 clientHash; union{null,string} clientProtocol;
/// MD5 serverHash; union{null,map&lt;bytes&gt;} meta}</c>, MD5 being a fixed of 16 bytes.
/// </summary>
public sealed record HandshakeRequest(byte[] ClientHash, string? ClientProtocol, byte[] ServerHash, IReadOnlyDictionary<string, byte[]>? Meta = null)
{
    public const int HashSize = 16;

    internal void Write(IBufferWriter<byte> output)
    {
        AvroEncoder.WriteFixed(output, ClientHash, HashSize);
        WriteOptionalString(output, ClientProtocol);
        AvroEncoder.WriteFixed(output, ServerHash, HashSize);
        WriteOptionalMeta(output, Meta);
    }

    internal static HandshakeRequest Read(ref AvroReader reader)
    {
        var clientHash = reader.ReadFixed(HashSize);
        var clientProtocol = reader.ReadUnionIndex(2, "clientProtocol") == 1 ? reader.ReadString() : null;
        var serverHash = reader.ReadFixed(HashSize);
        var meta = reader.ReadUnionIndex(2, "meta") == 1 ? reader.ReadBytesMap() : null;
        return new HandshakeRequest(clientHash, clientProtocol, serverHash, meta);
    }

    internal static void WriteOptionalString(IBufferWriter<byte> output, string? value)
    {
        AvroEncoder.WriteInt(output, value is null ? 0 : 1);
        if (value is not null)
        {
            AvroEncoder.WriteString(output, value);
        }
    }

    internal static void WriteOptionalMeta(IBufferWriter<byte> output, IReadOnlyDictionary<string, byte[]>? meta)
    {
        AvroEncoder.WriteInt(output, meta is null ? 0 : 1);
        if (meta is not null)
        {
            AvroEncoder.WriteBytesMap(output, meta);
        }
    }
}
