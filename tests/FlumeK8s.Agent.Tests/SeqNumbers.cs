namespace FlumeK8s.Agent.Tests;

/// <summary>What a seq source that was killed leaves in a channel.</summary>
internal static class SeqNumbers
{
    /// <summary>
    /// The seq source acknowledges its batches in order and, never refused, never goes back, so the
    /// channel holds 0..highest except, with batches in flight, some of the last ones sent: commits
    /// that had not ended when it was killed while later ones had.
    /// </summary>
    public static void AssertNoGapBelowBatchesInFlight(HashSet<long> distinct, int batchSize, int batchesInFlight)
    {
        var highest = distinct.Max();
        Assert.InRange(highest + 1 - distinct.Count, 0, (long)(batchesInFlight - 1) * batchSize);
        var firstMissing = Enumerable.Range(0, (int)highest + 1).FirstOrDefault(n => !distinct.Contains(n), -1);
        Assert.True(firstMissing < 0 || firstMissing > highest - (long)batchesInFlight * batchSize,
            $"{firstMissing} is missing, below the last {batchesInFlight} batches of {batchSize}");
    }
}
