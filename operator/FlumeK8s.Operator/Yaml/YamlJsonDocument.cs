using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Yaml;

/// <summary>One document of a YAML stream as JSON, and the line it starts on (for messages).</summary>
internal sealed record YamlJsonDocument(JsonNode? Root, int Line);
