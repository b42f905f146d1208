namespace FlumeK8s.Bench;

/// <summary>One benchmark: an agent configuration, how many events it moves, and an optional load generator.</summary>
internal sealed record Scenario(string Name, int BatchSize, long Events, string Config, Func<int, long, int, CancellationToken, Task>? Load = null);
