using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Processors;

/// <summary>
/// Per-sink exclusion after failures: a failed sink sits out min(maxTimeOut, 1 s × 2^k) for its k-th
/// consecutive failure; a success clears it. Disabled, it never excludes anything.
/// </summary>
public sealed class SinkBackoff(bool enabled, TimeSpan maxTimeOut, TimeProvider time)
{
    private readonly CappedBackoff _penalty = Penalty.UpTo(maxTimeOut);
    private readonly Dictionary<ISink, (int Failures, DateTimeOffset Until)> _state = [];

    public bool IsExcluded(ISink sink) =>
        enabled && _state.TryGetValue(sink, out var s) && s.Until > time.GetUtcNow();

    public void Success(ISink sink) => _state.Remove(sink);

    public void Failure(ISink sink)
    {
        if (!enabled)
        {
            return;
        }
        var failures = _state.TryGetValue(sink, out var s) ? s.Failures + 1 : 1;
        _state[sink] = (failures, time.GetUtcNow() + _penalty.Delay(failures));
    }
}
