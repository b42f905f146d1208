using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Processors;

/// <summary>Starts each turn one sink further along, so the load spreads evenly.</summary>
public sealed class RoundRobinSinkSelector(IReadOnlyList<ISink> sinks, SinkBackoff backoff) : ISinkSelector
{
    private int _next;

    public IReadOnlyList<ISink> Order()
    {
        var start = _next;
        _next = (_next + 1) % sinks.Count;
        var order = new List<ISink>(sinks.Count);
        for (var i = 0; i < sinks.Count; i++)
        {
            var sink = sinks[(start + i) % sinks.Count];
            if (!backoff.IsExcluded(sink))
            {
                order.Add(sink);
            }
        }
        return order;
    }

    public void ReportSuccess(ISink sink) => backoff.Success(sink);

    public void ReportFailure(ISink sink) => backoff.Failure(sink);
}
