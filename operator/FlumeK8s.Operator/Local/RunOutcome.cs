namespace FlumeK8s.Operator.Local;

/// <summary>How a run ended: <see cref="Failure"/> when a process failed (its log's end included), <see cref="Interrupted"/> on Ctrl+C/SIGTERM, <see cref="TimedOut"/> at the deadline.</summary>
internal sealed record RunOutcome(string? Failure, bool Interrupted, bool TimedOut);
