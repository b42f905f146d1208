namespace FlumeK8s.Operator.Local;

/// <summary>
/// A snapshot of a local run for the views: every process (in tier order), the generator's count,
/// the delivered count when counting (<c>--events</c>), and the end-to-end rate: what the last tiers drain.
/// </summary>
internal sealed record RunStatus(
    string Phase,
    TimeSpan Elapsed,
    IReadOnlyList<ProcessStatus> Processes,
    long Generated,
    long? Expected,
    long? Delivered,
    double EndToEndRate,
    int Kills);
