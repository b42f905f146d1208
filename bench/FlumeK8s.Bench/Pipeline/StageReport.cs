namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// The stages of a run in flow order, the window they were measured over (seconds since the first line
/// was written), the events delivered per second in it, and the stage that set the end-to-end rate.
/// </summary>
internal sealed record StageReport(IReadOnlyList<StageFigures> Stages, double From, double To, double DeliveredPerSecond, string Limiting, string Why);
