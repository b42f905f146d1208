using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// What rendering a tier gave: the configuration and the objects to apply when the flow is valid;
/// otherwise every problem (key and line, as the agent's validator reports them) and no objects, so
/// an invalid flow never reaches the pods.
/// </summary>
public sealed record TierRenderResult(
    ITier Tier,
    RenderedConfig? Config,
    IReadOnlyList<ConfigProblem> Errors,
    IReadOnlyList<ConfigProblem> Warnings,
    IReadOnlyList<JsonObject> Objects)
{
    public bool IsValid => Errors.Count == 0;
}
