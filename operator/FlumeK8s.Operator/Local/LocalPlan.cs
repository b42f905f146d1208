namespace FlumeK8s.Operator.Local;

/// <summary>
/// The processes that stand for a file's tiers, what is wrong with the file for a local run
/// (<see cref="Problems"/>: nothing starts), and what was left out because it has no local meaning
/// (<see cref="Notes"/>). <see cref="OutputDirectories"/> are the writable volumes of the last tiers
/// (those that forward nowhere): where delivered events are counted.
/// </summary>
internal sealed record LocalPlan(
    IReadOnlyList<LocalProcessSpec> Processes,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> OutputDirectories)
{
    public IEnumerable<string> InputFiles => Processes.Select(p => p.InputFile).OfType<string>();
}
