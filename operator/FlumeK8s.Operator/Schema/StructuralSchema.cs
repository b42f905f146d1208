using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlumeK8s.Operator.Schema;

/// <summary>
/// What the API server does with a custom resource before it stores it, for the subset of OpenAPI
/// v3 that structural schemas use: fill in defaults (a missing or null field, recursively, so a
/// defaulted <c>{}</c> gets its own defaults), then reject unknown fields, wrong types, values outside
/// enums, ranges, lengths and patterns, missing required fields, duplicate keys of map and set lists,
/// and <c>oneOf</c> alternatives. Offline rendering thereby accepts exactly what a cluster accepts.
/// </summary>
internal sealed class StructuralSchema(JsonObject root)
{
    /// <summary>Defaults <paramref name="resource"/> in place and returns every problem with it.</summary>
    public IReadOnlyList<SchemaProblem> Apply(JsonObject resource)
    {
        var problems = new List<SchemaProblem>();
        // The status belongs to the operator: the API server ignores it on the resource itself.
        var status = resource["status"];
        resource.Remove("status");
        ApplyDefaults(resource, root);
        Validate(resource, root, "", problems);
        if (status is not null)
        {
            resource["status"] = status;
        }
        return problems;
    }

    private static void ApplyDefaults(JsonNode? node, JsonObject schema)
    {
        switch (node)
        {
            case JsonObject map:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        if (property is not JsonObject propertySchema)
                        {
                            continue;
                        }
                        var nullable = propertySchema["nullable"]?.GetValue<bool>() == true;
                        if (map.ContainsKey(name) && map[name] is null && !nullable)
                        {
                            map.Remove(name); // As the API server prunes a null it may not store.
                        }
                        if (!map.ContainsKey(name) && propertySchema["default"] is { } fallback)
                        {
                            map[name] = fallback.DeepClone();
                        }
                        ApplyDefaults(map[name], propertySchema);
                    }
                }
                if (schema["additionalProperties"] is JsonObject valueSchema)
                {
                    foreach (var (_, value) in map.ToList())
                    {
                        ApplyDefaults(value, valueSchema);
                    }
                }
                break;
            case JsonArray list when schema["items"] is JsonObject itemSchema:
                foreach (var item in list)
                {
                    ApplyDefaults(item, itemSchema);
                }
                break;
        }
    }

    private static void Validate(JsonNode? node, JsonObject schema, string path, List<SchemaProblem> problems)
    {
        if (node is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                problems.Add(new SchemaProblem(path, "must not be null"));
            }
            return;
        }
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (!IsInteger(node) && Kind(node) != JsonValueKind.String)
            {
                problems.Add(new SchemaProblem(path, $"must be an integer or a string, not {Describe(node)}"));
                return;
            }
        }
        else if (schema["type"]?.GetValue<string>() is { } type && !HasType(node, type))
        {
            problems.Add(new SchemaProblem(path, $"must be {Article(type)}, not {Describe(node)}"));
            return;
        }
        CheckAlternatives(node, schema, path, problems);
        switch (node)
        {
            case JsonObject map:
                ValidateObject(map, schema, path, problems);
                break;
            case JsonArray list:
                ValidateArray(list, schema, path, problems);
                break;
            default:
                ValidateScalar((JsonValue)node, schema, path, problems);
                break;
        }
    }

    private static void ValidateObject(JsonObject map, JsonObject schema, string path, List<SchemaProblem> problems)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            var name = required!.GetValue<string>();
            if (!map.ContainsKey(name))
            {
                problems.Add(new SchemaProblem(Join(path, name), "required field is missing"));
            }
        }
        // Only a name and generateName may be constrained in metadata; the rest is ObjectMeta.
        // A oneOf alternative (no type of its own) only adds constraints; unknown fields are the typed node's business.
        var lenient = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true || path == "metadata" || schema["type"] is null;
        foreach (var (name, value) in map)
        {
            if (properties?[name] is JsonObject propertySchema)
            {
                Validate(value, propertySchema, Join(path, name), problems);
            }
            else if (schema["additionalProperties"] is JsonObject valueSchema)
            {
                Validate(value, valueSchema, Join(path, name), problems);
            }
            else if (!lenient && !(path.Length == 0 && name is "apiVersion" or "kind"))
            {
                var known = properties is null ? "" : $" (known fields: {string.Join(", ", properties.Select(p => p.Key))})";
                problems.Add(new SchemaProblem(Join(path, name), $"unknown field{known}"));
            }
        }
    }

    private static void ValidateArray(JsonArray list, JsonObject schema, string path, List<SchemaProblem> problems)
    {
        if (Number(schema["minItems"]) is { } minItems && list.Count < minItems)
        {
            problems.Add(new SchemaProblem(path, $"must have at least {minItems} item(s)"));
        }
        if (Number(schema["maxItems"]) is { } maxItems && list.Count > maxItems)
        {
            problems.Add(new SchemaProblem(path, $"must have at most {maxItems} item(s)"));
        }
        if (schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < list.Count; i++)
            {
                Validate(list[i], itemSchema, $"{path}[{i}]", problems);
            }
        }
        var keys = schema["x-kubernetes-list-type"]?.GetValue<string>() switch
        {
            "set" => list.Select(item => item?.ToJsonString() ?? "null").ToList(),
            "map" => list.Select(item => string.Join("/", (schema["x-kubernetes-list-map-keys"]?.AsArray() ?? [])
                .Select(k => item is JsonObject o ? o[k!.GetValue<string>()]?.ToJsonString() : null))).ToList(),
            _ => null,
        };
        if (keys is null)
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (!seen.Add(keys[i]))
            {
                problems.Add(new SchemaProblem($"{path}[{i}]", $"duplicate entry {keys[i]}"));
            }
        }
    }

    private static void ValidateScalar(JsonValue value, JsonObject schema, string path, List<SchemaProblem> problems)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add(new SchemaProblem(path, $"{value.ToJsonString()} is not one of {string.Join(", ", allowed.Select(a => a!.ToJsonString()))}"));
        }
        if (Kind(value) == JsonValueKind.Number)
        {
            var number = Number(value)!.Value;
            if (Number(schema["minimum"]) is { } minimum && number < minimum)
            {
                problems.Add(new SchemaProblem(path, $"must be at least {minimum} (got {value.ToJsonString()})"));
            }
            if (Number(schema["maximum"]) is { } maximum && number > maximum)
            {
                problems.Add(new SchemaProblem(path, $"must be at most {maximum} (got {value.ToJsonString()})"));
            }
            return;
        }
        if (Kind(value) != JsonValueKind.String)
        {
            return;
        }
        var text = value.GetValue<string>();
        if (Number(schema["minLength"]) is { } minLength && text.Length < minLength)
        {
            problems.Add(new SchemaProblem(path, $"must be at least {minLength} character(s) long"));
        }
        if (Number(schema["maxLength"]) is { } maxLength && text.Length > maxLength)
        {
            problems.Add(new SchemaProblem(path, $"must be at most {maxLength} characters long (is {text.Length})"));
        }
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            problems.Add(new SchemaProblem(path, $"'{text}' does not match {pattern}"));
        }
    }

    // anyOf is how int-or-string spells its types (checked above); oneOf/allOf constrain.
    private static void CheckAlternatives(JsonNode node, JsonObject schema, string path, List<SchemaProblem> problems)
    {
        foreach (var sub in schema["allOf"]?.AsArray() ?? [])
        {
            Validate(node, (JsonObject)sub!, path, problems);
        }
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var matches = oneOf.Count(sub => Passes(node, (JsonObject)sub!, path));
            if (matches != 1)
            {
                var choices = string.Join(" | ", oneOf.Select(sub => string.Join(", ", sub!["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])));
                problems.Add(new SchemaProblem(path, $"must have exactly one of: {choices} (has {matches})"));
            }
        }
        if (schema["anyOf"] is JsonArray anyOf && schema["x-kubernetes-int-or-string"] is null && !anyOf.Any(sub => Passes(node, (JsonObject)sub!, path)))
        {
            problems.Add(new SchemaProblem(path, "matches none of the allowed forms"));
        }
    }

    private static bool Passes(JsonNode node, JsonObject schema, string path)
    {
        var trial = new List<SchemaProblem>();
        Validate(node, schema, path, trial);
        return trial.Count == 0;
    }

    private static bool HasType(JsonNode node, string type) => type switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => Kind(node) == JsonValueKind.String,
        "boolean" => Kind(node) is JsonValueKind.True or JsonValueKind.False,
        "integer" => IsInteger(node),
        "number" => Kind(node) == JsonValueKind.Number,
        _ => true,
    };

    private static bool IsInteger(JsonNode node) =>
        Kind(node) == JsonValueKind.Number && Number(node) is { } d && Math.Floor(d) == d && !double.IsInfinity(d);

    private static JsonValueKind Kind(JsonNode node) => node.GetValueKind();

    // A JsonValue holding a long cannot be read as a double directly; its JSON text always can.
    private static double? Number(JsonNode? node) =>
        node is JsonValue value && Kind(value) == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "an object",
        JsonArray => "a list",
        _ => Kind(node) switch
        {
            JsonValueKind.String => $"the string {node.ToJsonString()}",
            JsonValueKind.Number => $"the number {node.ToJsonString()} (quote it if a string is meant)",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {node.ToJsonString()} (quote it if a string is meant)",
            _ => node.ToJsonString(),
        },
    };

    private static string Article(string type) => type is "object" or "array" or "integer" ? $"an {type}" : $"a {type}";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
