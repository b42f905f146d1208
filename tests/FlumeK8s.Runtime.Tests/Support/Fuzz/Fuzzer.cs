using System.Buffers.Binary;

namespace FlumeK8s.Runtime.Tests.Support.Fuzz;

/// <summary>
/// Seeded, reproducible hostile input for one fuzz case: valid input mutated (flipped bytes, cut
/// short, bytes inserted or repeated, a 4-byte field made a huge length, or replaced by garbage),
/// and ways to cut it into writes (whole, random pieces, or a byte at a time as a slow writer).
/// </summary>
internal sealed class Fuzzer(int seed)
{
    private static readonly uint[] HugeLengths = [0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0x04000000, 0x01000001];

    private readonly Random _random = new(seed);

    public int Seed => seed;

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int min, int maxExclusive) => _random.Next(min, maxExclusive);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="valid"/> mutated one to three times.</summary>
    public byte[] Mutate(byte[] valid)
    {
        var bytes = valid;
        for (var times = Next(1, 4); times > 0; times--)
        {
            bytes = MutateOnce(bytes);
        }
        return bytes;
    }

    /// <summary>The writes a client makes of <paramref name="bytes"/>: one, random pieces, or (up to 4 KiB) one per byte.</summary>
    public List<ReadOnlyMemory<byte>> Pieces(byte[] bytes)
    {
        var mode = Next(3);
        var pieces = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var size = mode switch
            {
                0 => bytes.Length,
                1 => Next(1, 256),
                _ => bytes.Length <= 4096 ? 1 : Next(1, 64),
            };
            size = Math.Min(size, bytes.Length - offset);
            pieces.Add(bytes.AsMemory(offset, size));
            offset += size;
        }
        return pieces;
    }

    private byte[] MutateOnce(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return Bytes(Next(1, 64));
        }
        var at = Next(bytes.Length);
        switch (Next(6))
        {
            case 0:
                var flipped = (byte[])bytes.Clone();
                for (var i = Next(1, 9); i > 0; i--)
                {
                    flipped[Next(flipped.Length)] ^= (byte)Next(1, 256);
                }
                return flipped;
            case 1:
                return bytes[..at];
            case 2:
                return [.. bytes.AsSpan(0, at), .. Bytes(Next(1, 17)), .. bytes.AsSpan(at)];
            case 3:
                var slice = bytes.AsSpan(at, Math.Min(bytes.Length - at, Next(1, 64)));
                return [.. bytes.AsSpan(0, at), .. slice, .. slice, .. bytes.AsSpan(at)];
            case 4:
                var huge = (byte[])bytes.Clone();
                var field = Math.Min(at, Math.Max(0, huge.Length - 4));
                var length = Pick(HugeLengths);
                if (huge.Length >= 4)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(field), length);
                }
                return huge;
            default:
                return Bytes(Next(1, 256));
        }
    }
}
