namespace FlumeK8s.Operator.Tests.Support;

/// <summary>Polls a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for: {what}");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
