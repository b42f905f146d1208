using FlumeK8s.Runtime.Backoff;

namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// How often a component that cannot run is tried again (a sink that failed to start, a failed file
/// channel to reopen): soon enough to heal quickly once the cause is gone, rarely enough that a
/// lasting cause (a full or unwritable disk) does not restart things every few seconds.
/// </summary>
internal static class ComponentRestart
{
    public static readonly CappedBackoff Backoff = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
}
