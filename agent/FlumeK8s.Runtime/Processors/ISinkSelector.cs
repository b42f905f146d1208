using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Processors;

/// <summary>The order in which a load-balancing group tries its sinks on one turn. A policy: no I/O.</summary>
public interface ISinkSelector
{
    /// <summary>Sinks to try this turn, best first; sinks in backoff are left out.</summary>
    IReadOnlyList<ISink> Order();

    void ReportSuccess(ISink sink);

    void ReportFailure(ISink sink);
}
