namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// Capped exponential backoff with jitter: the k-th failure in a row excludes an endpoint for
/// min(max, initial × 2^(k-1)) ± 20 %, so senders that failed together do not return together.
/// </summary>
public sealed record EndpointBackoff(TimeSpan Initial, TimeSpan Max)
{
    private const double Jitter = 0.2;

    public TimeSpan For(int consecutiveFailures, Random random)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var nominal = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * (1L << exponent));
        var jittered = nominal * (1 + Jitter * (2 * random.NextDouble() - 1));
        return TimeSpan.FromMilliseconds(Math.Min(Max.TotalMilliseconds, jittered));
    }
}
