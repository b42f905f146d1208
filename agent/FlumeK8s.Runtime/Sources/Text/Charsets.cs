using System.Text;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Text;

/// <summary>Reads charset properties (Java names such as UTF-8, ISO-8859-1, UTF-16LE).</summary>
internal static class Charsets
{
    /// <summary>
    /// The named encoding with the given decode fallback (replacement when none is given). An
    /// unknown name is reported against the key and UTF-8 is returned so validation goes on.
    /// </summary>
    public static Encoding Read(ComponentContext context, string key, string defaultName, DecoderFallback? decoderFallback = null)
    {
        var name = context.GetString(key, defaultName);
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, decoderFallback ?? DecoderFallback.ReplacementFallback);
        }
        catch (ArgumentException)
        {
            context.Error(key, $"unknown charset '{name}' (supported: UTF-8, US-ASCII, ISO-8859-1, UTF-16, UTF-16LE, UTF-16BE, UTF-32)");
            return new UTF8Encoding(false);
        }
    }
}
