using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>
/// Lays a user's object over the operator's defaults: objects merge key by key (recursively), anything
/// else (a value, a list) replaces the default, so <c>capabilities.add</c> replaces ours while
/// <c>capabilities.drop: [ALL]</c> stays unless the user writes it too.
/// </summary>
internal static class JsonMerge
{
    public static JsonObject Over(JsonObject defaults, JsonObject? overrides)
    {
        var result = (JsonObject)defaults.DeepClone();
        foreach (var (key, value) in overrides ?? [])
        {
            result[key] = result[key] is JsonObject mine && value is JsonObject theirs
                ? Over(mine, theirs)
                : value?.DeepClone();
        }
        return result;
    }
}
