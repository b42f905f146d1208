using System.Security.Cryptography;
using System.Text;

namespace FlumeK8s.Operator.Rendering;

/// <summary>A rendered agent configuration and its SHA-256 (hex), the hash the status reports.</summary>
public sealed record RenderedConfig(string Text, string Hash)
{
    public static RenderedConfig Of(string text) =>
        new(text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
}
