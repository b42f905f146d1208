namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The pieces of protobuf's wire format the hop's messages use: varints and length-delimited
/// fields (wire type 2). Every field of flumek8s.proto's Event and EventBatch is field 1 or 2.
/// </summary>
internal static class ProtoWire
{
    public const byte Field1Bytes = (1 << 3) | LengthDelimited;
    public const byte Field2Bytes = (2 << 3) | LengthDelimited;

    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    public static int VarintSize(uint value) => value < (1u << 7) ? 1 : value < (1u << 14) ? 2 : value < (1u << 21) ? 3 : value < (1u << 28) ? 4 : 5;

    /// <summary>A length-delimited field of <paramref name="length"/> bytes with its one-byte tag and its length.</summary>
    public static int FieldSize(int length) => 1 + VarintSize((uint)length) + length;

    public static int WriteVarint(Span<byte> output, uint value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            output[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        output[at++] = (byte)value;
        return at;
    }
}
