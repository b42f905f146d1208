using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlumeK8s.Operator.Tiers;

/// <summary>A Kubernetes quantity (<c>500m</c>, <c>2Gi</c>, <c>1</c>), given as a number or a string.</summary>
[JsonConverter(typeof(Converter))]
public readonly record struct Quantity(string Value)
{
    public override string ToString() => Value;

    internal sealed class Converter : JsonConverter<Quantity>
    {
        public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.String => new Quantity(reader.GetString()!),
                JsonTokenType.Number => new Quantity(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
                _ => throw new JsonException($"a quantity is a number or a string, not {reader.TokenType}"),
            };

        public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Value);
    }
}
