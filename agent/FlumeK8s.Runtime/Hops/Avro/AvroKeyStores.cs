using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Reads the key and trust stores Flume's avro source and sink name. .NET reads PKCS#12 (and
/// PEM certificates for a trust store) but not Java's JKS format, so a JKS store is refused with
/// the keytool command that converts it, both when configured as JKS and when the file turns out
/// to be one.
/// </summary>
internal static class AvroKeyStores
{
    public const string Pkcs12 = "PKCS12";
    public const string Pem = "PEM";
    public const string Jks = "JKS";

    private static readonly byte[] JksMagic = [0xFE, 0xED, 0xFE, 0xED];

    /// <summary>Reads a <c>*-type</c> property; JKS is reported as a configuration error. Null means: tell by the file.</summary>
    public static string? ReadType(ComponentContext context, string key, string storeKey, params string[] allowed)
    {
        var type = context.GetString(key);
        if (type is null)
        {
            return null;
        }
        if (string.Equals(type, Jks, StringComparison.OrdinalIgnoreCase))
        {
            context.Error(key, $"JKS key stores cannot be read here; convert the {storeKey} to PKCS#12 " +
                "(keytool -importkeystore -srckeystore store.jks -destkeystore store.p12 -deststoretype PKCS12) and set " + key + "=PKCS12");
            return null;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, type, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            context.Error(key, $"'{type}' is not one of: {string.Join(", ", allowed)}");
        }
        return match;
    }

    /// <summary>The server certificate with its private key from a PKCS#12 key store.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read, is JKS, or holds no private key.</exception>
    public static X509Certificate2 LoadServerCertificate(string path, string? password)
    {
        RefuseJks(path);
        try
        {
            var certificates = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
            return certificates.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new InvalidOperationException($"Key store {path} holds no private key");
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Cannot read PKCS#12 key store {path} (wrong password or not PKCS#12?): {e.Message}", e);
        }
    }

    /// <summary>The trusted certificates of a PKCS#12 or PEM trust store; <paramref name="type"/> null tells them apart by content.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read, is JKS, or holds no certificate.</exception>
    public static X509Certificate2Collection LoadTrustRoots(string path, string? password, string? type)
    {
        RefuseJks(path);
        var pem = type is null ? LooksLikePem(path) : string.Equals(type, Pem, StringComparison.Ordinal);
        var roots = new X509Certificate2Collection();
        try
        {
            if (pem)
            {
                roots.ImportFromPemFile(path);
            }
            else
            {
                roots.AddRange(X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password));
            }
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Cannot read {(pem ? "PEM" : "PKCS#12")} trust store {path}: {e.Message}", e);
        }
        return roots.Count > 0 ? roots : throw new InvalidOperationException($"Trust store {path} holds no certificate");
    }

    private static void RefuseJks(string path)
    {
        Span<byte> head = stackalloc byte[4];
        try
        {
            using var file = File.OpenRead(path);
            if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(JksMagic))
            {
                throw new InvalidOperationException($"{path} is a JKS key store, which cannot be read here; convert it to PKCS#12 with keytool -importkeystore -deststoretype PKCS12");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot open key store {path}: {e.Message}", e);
        }
    }

    private static bool LooksLikePem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[4096];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
