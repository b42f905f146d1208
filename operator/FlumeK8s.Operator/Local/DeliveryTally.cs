namespace FlumeK8s.Operator.Local;

/// <summary>
/// The generator's events found in the output: <see cref="Delivered"/> distinct numbers 1..expected,
/// <see cref="Duplicates"/> extra copies of them (at-least-once hops resend a batch whose acknowledgement
/// was lost), <see cref="Lost"/> numbers not found, <see cref="FirstMissing"/> the lowest of those.
/// </summary>
internal sealed record DeliveryTally(long Expected, long Delivered, long Duplicates, long Lost, long? FirstMissing, long Unexpected)
{
    public static DeliveryTally Of(IEnumerable<long> seqs, long expected)
    {
        var counts = new Dictionary<long, int>();
        long unexpected = 0;
        foreach (var seq in seqs)
        {
            if (seq < 1 || seq > expected)
            {
                unexpected++;
                continue;
            }
            counts[seq] = counts.GetValueOrDefault(seq) + 1;
        }
        var duplicates = counts.Values.Sum(c => (long)c - 1);
        long? firstMissing = null;
        for (long n = 1; n <= expected && firstMissing is null; n++)
        {
            if (!counts.ContainsKey(n))
            {
                firstMissing = n;
            }
        }
        return new DeliveryTally(expected, counts.Count, duplicates, expected - counts.Count, firstMissing, unexpected);
    }
}
