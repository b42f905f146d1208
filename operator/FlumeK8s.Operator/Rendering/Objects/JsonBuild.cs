using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>Small helpers for writing Kubernetes objects as JSON nodes: fields left null are left out.</summary>
internal static class JsonBuild
{
    public static JsonObject Object(params (string Key, JsonNode? Value)[] fields)
    {
        var result = new JsonObject();
        foreach (var (key, value) in fields)
        {
            if (value is not null)
            {
                result[key] = value;
            }
        }
        return result;
    }

    public static JsonObject? Map(IReadOnlyDictionary<string, string>? values) =>
        values is null || values.Count == 0 ? null : new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));

    public static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    public static JsonArray Strings(params string[] items) => new([.. items.Select(i => (JsonNode?)i)]);
}
