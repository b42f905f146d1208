using System.Security.Cryptography;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>The RSA key pair kube-apiserver signs and checks service-account tokens with, as PEM files.</summary>
internal sealed record ServiceAccountKeys(string PrivateKeyFile, string PublicKeyFile)
{
    public static ServiceAccountKeys Write(string directory)
    {
        using var rsa = RSA.Create(2048);
        var keys = new ServiceAccountKeys(Path.Combine(directory, "sa.key"), Path.Combine(directory, "sa.pub"));
        File.WriteAllText(keys.PrivateKeyFile, rsa.ExportRSAPrivateKeyPem());
        File.WriteAllText(keys.PublicKeyFile, rsa.ExportSubjectPublicKeyInfoPem());
        return keys;
    }
}
