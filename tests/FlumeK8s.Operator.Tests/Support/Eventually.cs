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

    /// <summary>The same for a condition that must ask something (the API server, say); its failures count as false.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await Holds(condition))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for: {what}");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task<bool> Holds(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or FlumeK8s.Kube.KubeApiException)
        {
            return false;
        }
    }
}
