using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FlumeK8s.Operator.Yaml;

/// <summary>
/// Writes JSON objects as a YAML multi-document stream for people to read: block style, multi-line
/// strings (a rendered configuration) as literal blocks, and strings that would read back as another
/// type (<c>"4141"</c>, <c>"true"</c>) quoted, so the YAML means exactly the JSON.
/// </summary>
internal static class YamlWriter
{
    public static string Write(IEnumerable<JsonNode> documents)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings().WithMaxSimpleKeyLength(1024).WithIndentedSequences());
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Node(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Node(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case JsonObject map:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    String(emitter, key);
                    Node(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Node(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                String(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                // Numbers and booleans keep their JSON spelling, which YAML reads back as the same value.
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void String(IEmitter emitter, string value)
    {
        var style = value.Contains('\n') ? ScalarStyle.Literal
            : YamlJson.NeedsQuotes(value) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, value, style, isPlainImplicit: style == ScalarStyle.Any, isQuotedImplicit: true));
    }
}
