using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FlumeK8s.Operator.Yaml;

/// <summary>
/// Reads a YAML stream into JSON nodes the way kubectl does before it sends a manifest to the API
/// server: a plain scalar is a null, a boolean (YAML 1.1 words too: yes, no, on, off), an integer or
/// a float when it looks like one; a quoted scalar is always a string. So <c>capacity: 100</c> in a
/// string map is a number here, and the schema rejects it exactly as the API server would.
/// </summary>
internal static partial class YamlJson
{
    /// <summary>Every non-empty document of <paramref name="text"/> with the line it starts on.</summary>
    /// <exception cref="YamlException">The text is not YAML (the exception carries the position).</exception>
    public static IReadOnlyList<YamlJsonDocument> Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var documents = new List<YamlJsonDocument>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            documents.Add(new YamlJsonDocument(ToJson(document.RootNode), (int)document.RootNode.Start.Line));
        }
        return documents;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlException(key.Start, key.End, "a mapping key must be a scalar");
            }
            result[name] = ToJson(value);
        }
        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain || scalar.Tag is { IsEmpty: false, IsNonSpecific: false, Value: "tag:yaml.org,2002:str" })
        {
            return JsonValue.Create(value);
        }
        if (NullWords().IsMatch(value))
        {
            return null;
        }
        if (TrueWords().IsMatch(value))
        {
            return JsonValue.Create(true);
        }
        if (FalseWords().IsMatch(value))
        {
            return JsonValue.Create(false);
        }
        if (Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (Hex().IsMatch(value))
        {
            return JsonValue.Create(Convert.ToInt64(value[2..], 16));
        }
        if (Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }

    /// <summary>True when a plain scalar with this text would not read back as the same string.</summary>
    public static bool NeedsQuotes(string value) =>
        value.Length == 0 || NullWords().IsMatch(value) || TrueWords().IsMatch(value) || FalseWords().IsMatch(value)
        || Integer().IsMatch(value) || Hex().IsMatch(value) || Float().IsMatch(value) || Octal().IsMatch(value);

    [GeneratedRegex("^(~|null|Null|NULL)$")]
    private static partial Regex NullWords();

    [GeneratedRegex("^(true|True|TRUE|y|Y|yes|Yes|YES|on|On|ON)$")]
    private static partial Regex TrueWords();

    [GeneratedRegex("^(false|False|FALSE|n|N|no|No|NO|off|Off|OFF)$")]
    private static partial Regex FalseWords();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    [GeneratedRegex("^0o?[0-7]+$")]
    private static partial Regex Octal();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex Float();
}
