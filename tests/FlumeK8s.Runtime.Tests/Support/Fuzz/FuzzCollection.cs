namespace FlumeK8s.Runtime.Tests.Support.Fuzz;

/// <summary>
/// The network sources' fuzz tests measure the process's managed memory, which other tests running
/// at the same time would disturb: they run alone, one after another, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Network source fuzzing (memory measured, run alone)";
}
