using System.Text.Json.Nodes;
using FlumeK8s.Operator.Rendering.Objects;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Operator.Rendering;

/// <summary>Renders a tier into its agents' configuration and the Kubernetes objects that run them.</summary>
public static class TierRenderer
{
    public static TierRenderResult Render(ITier tier, RenderOptions options)
    {
        var result = RenderConfig(tier, options);
        return result.Config is { } config ? result with { Objects = Objects(tier, config, options) } : result;
    }

    /// <summary>
    /// The tier's agent configuration alone, validated as its pods would load it, without the objects:
    /// what <c>flumek8s local up</c> runs, with its own <see cref="RenderOptions.Placement"/>.
    /// </summary>
    public static TierRenderResult RenderConfig(ITier tier, RenderOptions options)
    {
        var (text, problems) = FlowRenderer.Render(tier, options);
        var validation = FlowValidator.Validate(text, tier);
        var errors = problems.Concat(PodSpecValidator.Validate(tier)).Concat(validation.Errors).ToList();
        return errors.Count > 0
            ? new TierRenderResult(tier, null, errors, validation.Warnings, [])
            : new TierRenderResult(tier, RenderedConfig.Of(text), [], validation.Warnings, []);
    }

    /// <summary>
    /// Renders a set of tiers, also checking the topology between them: a forwardTo naming a tier of
    /// the set that is of another kind is an error; one naming a tier outside the set is a warning
    /// (it may be applied separately).
    /// </summary>
    public static IReadOnlyList<TierRenderResult> RenderAll(IReadOnlyList<ITier> tiers, RenderOptions options)
    {
        var results = new List<TierRenderResult>();
        foreach (var tier in tiers)
        {
            var result = Render(tier, options);
            if (tier.Spec.ForwardTo is { } forward)
            {
                var expected = tier.Kind == TierKind.AgentTier ? TierKind.CollectorTier : TierKind.StoreTier;
                var named = tiers.Where(t => t.Metadata.Name == forward.Name && t.Metadata.Namespace == tier.Metadata.Namespace).ToList();
                if (named.Count == 0)
                {
                    result = result with { Warnings = [.. result.Warnings, new ConfigProblem("spec.forwardTo", 0, $"{expected} {forward.Name} is not among the rendered tiers")] };
                }
                else if (named.FirstOrDefault(t => t.Kind == expected) is { } next && HopTlsLayout.Of(next).Enabled != HopTlsLayout.Of(tier).Enabled)
                {
                    // One side would speak TLS to a plain-text port: every batch would fail until they agree.
                    result = result with
                    {
                        Warnings = [.. result.Warnings, new ConfigProblem("spec.tls.mode", 0,
                            $"{HopTlsLayout.Of(tier).Mode.ToString().ToLowerInvariant()} here but {HopTlsLayout.Of(next).Mode.ToString().ToLowerInvariant()} on {expected} {forward.Name}: tiers that send to each other must both use TLS or both not")],
                    };
                }
                if (named.Count > 0 && named.All(t => t.Kind != expected))
                {
                    result = result with
                    {
                        Errors = [.. result.Errors, new ConfigProblem("spec.forwardTo", 0, $"{forward.Name} is a {named[0].Kind}, not a {expected}")],
                        Config = null,
                        Objects = [],
                    };
                }
            }
            results.Add(result);
        }
        return results;
    }

    private static IReadOnlyList<JsonObject> Objects(ITier tier, RenderedConfig config, RenderOptions options) =>
        tier.Spec.ReceivesHops
            ? [ConfigMapObject.Build(tier, config), Services.Headless(tier), Services.ClusterIp(tier), Workloads.Build(tier, options), Services.DisruptionBudget(tier)]
            : [ConfigMapObject.Build(tier, config), Workloads.Build(tier, options)];
}
