namespace FlumeK8s.Operator.Rendering;

/// <summary>The <c>ConfigValid</c> condition a render result gives its tier's status.</summary>
public sealed record ConfigValidCondition(string Status, string Reason, string Message, long ObservedGeneration)
{
    public const string Type = "ConfigValid";

    public static ConfigValidCondition From(TierRenderResult result) => result.IsValid
        ? new ConfigValidCondition("True", "Rendered", $"configuration {result.Config!.Hash[..12]} passed the agent's validation", result.Tier.Metadata.Generation ?? 0)
        : new ConfigValidCondition("False", "InvalidFlow", string.Join("; ", result.Errors), result.Tier.Metadata.Generation ?? 0);
}
