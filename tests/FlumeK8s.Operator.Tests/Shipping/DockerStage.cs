namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>A build stage: its base image, its name (AS ...), and its instructions after FROM.</summary>
internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerfileInstruction> Instructions)
{
    public IEnumerable<DockerfileInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public DockerfileInstruction Last(string keyword) =>
        Instructions.LastOrDefault(i => i.Keyword == keyword) ?? throw new InvalidOperationException($"stage {Name ?? BaseImage} has no {keyword}");
}
