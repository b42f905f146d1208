namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// Whether a tier's drain still makes progress: the time the events its leaving pods hold last went
/// down. Kept by the leader in memory; a new leader starts the clock again, which only delays a
/// DrainBlocked verdict.
/// </summary>
internal sealed class DrainProgress
{
    private long _fewest = long.MaxValue;
    private DateTimeOffset _since;

    /// <summary>Records what the leaving pods hold now; true when it has not gone down for <paramref name="stall"/>.</summary>
    public bool IsStalled(long events, DateTimeOffset now, TimeSpan stall)
    {
        if (events < _fewest)
        {
            _fewest = events;
            _since = now;
        }
        return now - _since >= stall;
    }
}
