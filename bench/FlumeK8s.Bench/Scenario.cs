namespace FlumeK8s.Bench;

/// <summary>
/// One benchmark: the agent configuration (given a fresh scratch directory for each run), how many
/// events it moves, and an optional load generator.
/// </summary>
internal sealed record Scenario(string Name, int BatchSize, long Events, Func<string, string> Config, Func<int, long, int, CancellationToken, Task>? Load = null, string SinkType = "null");
