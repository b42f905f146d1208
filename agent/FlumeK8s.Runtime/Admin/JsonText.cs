using System.Text;
using System.Text.Json;

namespace FlumeK8s.Runtime.Admin;

/// <summary>A JSON document written with <see cref="Utf8JsonWriter"/>, as a string: compact, no reflection.</summary>
internal static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            write(json);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
