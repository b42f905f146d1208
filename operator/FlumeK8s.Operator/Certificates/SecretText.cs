using System.Text;
using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Certificates;

/// <summary>A Secret's data as text (the API carries it base64-encoded) and back.</summary>
internal static class SecretText
{
    public static IReadOnlyDictionary<string, string> Data(JsonObject? secret)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in secret?["data"]?.AsObject() ?? [])
        {
            if (value?.GetValue<string>() is { } encoded)
            {
                try
                {
                    data[key] = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                }
                catch (FormatException)
                {
                    // Not base64: the API server never returns that; treated as absent.
                }
            }
        }
        return data;
    }

    public static JsonObject Encode(IReadOnlyDictionary<string, string> data)
    {
        var encoded = new JsonObject();
        foreach (var (key, value) in data)
        {
            encoded[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        }
        return encoded;
    }
}
