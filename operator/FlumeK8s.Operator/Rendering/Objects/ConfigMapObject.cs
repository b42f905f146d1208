using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>The ConfigMap holding the rendered configuration, with its hash as an annotation.</summary>
internal static class ConfigMapObject
{
    public static JsonObject Build(ITier tier, RenderedConfig config)
    {
        var result = ObjectMetadata.Header("v1", "ConfigMap", ObjectMetadata.For(tier, TierNames.ConfigMap(tier.Metadata.Name),
            new Dictionary<string, string> { [TierNames.ConfigHashAnnotation] = config.Hash }));
        result["data"] = Object((AgentLayout.ConfigKey, config.Text));
        return result;
    }
}
