using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Operator.Certificates;

/// <summary>Reading the PEM the operator stores; unreadable text is null, never an exception, so a damaged Secret is simply replaced.</summary>
internal static class Pem
{
    public static X509Certificate2? Certificate(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="certificate"/> and <paramref name="key"/> are a pair.</summary>
    public static bool IsPair(string certificate, string key)
    {
        try
        {
            using var paired = X509Certificate2.CreateFromPem(certificate, key);
            return paired.HasPrivateKey;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    public static DateTimeOffset NotAfter(X509Certificate2 certificate) => new(certificate.NotAfter.ToUniversalTime());

    /// <summary>The certificates of a PEM bundle, in order.</summary>
    public static X509Certificate2Collection Bundle(string? pem)
    {
        var all = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(pem))
        {
            try
            {
                all.ImportFromPem(pem);
            }
            catch (CryptographicException)
            {
                return [];
            }
        }
        return all;
    }
}
