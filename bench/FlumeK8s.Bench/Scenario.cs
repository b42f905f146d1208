namespace FlumeK8s.Bench;

/// <summary>
/// One benchmark: the agent configuration (given a fresh scratch directory for each run), how many
/// events it moves, an optional load generator, and the type of its sink k1 (whose drained count is watched),
/// or another count to watch (<see cref="Watched"/>: a flow without a sink).
/// </summary>
internal sealed record Scenario(string Name, int BatchSize, long Events, Func<string, string> Config, Func<int, long, int, CancellationToken, Task>? Load = null,
    string SinkType = "null", string? Watched = null);
