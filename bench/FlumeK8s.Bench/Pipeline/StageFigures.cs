namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// One stage over the middle of a run: what it drains (<see cref="Queue"/>), the rate it drained at,
/// the backlog in front of it at the window's start and end and its lowest in between, the fullest
/// channel's fill at the end (percent; none for the written files), and whether it had work waiting
/// all the time (<see cref="Saturated"/>).
/// </summary>
internal sealed record StageFigures(string Stage, string Queue, double Rate, long BacklogStart, long BacklogEnd, long BacklogMin, double? Fill, bool Saturated);
