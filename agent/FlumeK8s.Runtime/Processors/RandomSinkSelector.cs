using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Processors;

/// <summary>A random order each turn (Fisher–Yates over the sinks not in backoff).</summary>
public sealed class RandomSinkSelector(IReadOnlyList<ISink> sinks, SinkBackoff backoff, Random random) : ISinkSelector
{
    public IReadOnlyList<ISink> Order()
    {
        var order = sinks.Where(s => !backoff.IsExcluded(s)).ToList();
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    public void ReportSuccess(ISink sink) => backoff.Success(sink);

    public void ReportFailure(ISink sink) => backoff.Failure(sink);
}
