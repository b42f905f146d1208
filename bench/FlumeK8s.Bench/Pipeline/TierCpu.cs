namespace FlumeK8s.Bench.Pipeline;

/// <summary>The CPU time (user + system, from /proc) a tier's processes used between the first line written and the last event delivered.</summary>
internal sealed record TierCpu(string Tier, int Processes, double Seconds);
