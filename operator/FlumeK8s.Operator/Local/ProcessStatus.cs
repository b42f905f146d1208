using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>One process in the live view: its counters over all its starts, and its drain rate.</summary>
internal sealed record ProcessStatus(string Tier, TierKind Kind, string Pod, string State, int? HopPort, MetricsSample Counters, double OutRate, int Kills);
