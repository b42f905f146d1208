using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace FlumeK8s.Kube;

/// <summary>
/// Where the API server is and how to authenticate: from a kubeconfig file (its current context)
/// or, inside a pod, from the service account Kubernetes mounts.
/// </summary>
public sealed record KubeConnection(
    Uri Server,
    string? Token,
    X509Certificate2? ClientCertificate,
    X509Certificate2Collection? TrustedCa,
    bool InsecureSkipTlsVerify,
    string DefaultNamespace)
{
    private const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <param name="serviceAccountDir">Where Kubernetes mounts the pod's service account (token, ca.crt, namespace).</param>
    /// <param name="environment">The process environment, for KUBERNETES_SERVICE_HOST and _PORT.</param>
    public static KubeConnection InCluster(string serviceAccountDir = ServiceAccountDir, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("not running in a cluster (KUBERNETES_SERVICE_HOST/PORT are not set); pass --kubeconfig");
        }
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(Path.Combine(serviceAccountDir, "ca.crt"));
        return new KubeConnection(
            new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port}"),
            File.ReadAllText(Path.Combine(serviceAccountDir, "token")).Trim(),
            null,
            ca,
            false,
            File.ReadAllText(Path.Combine(serviceAccountDir, "namespace")).Trim());
    }

    /// <summary>The current context of a kubeconfig file; relative file paths in it are relative to the file.</summary>
    public static KubeConnection FromKubeconfig(string path, string? context = null)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var contextName = context ?? Scalar(root, "current-context") ?? throw new KubeConfigException($"{path}: no current-context");
        var ctx = Named(root, "contexts", contextName, "context", path);
        var cluster = Named(root, "clusters", Scalar(ctx, "cluster") ?? "", "cluster", path);
        var userName = Scalar(ctx, "user");
        var user = userName is null ? null : Named(root, "users", userName, "user", path);

        var server = Scalar(cluster, "server") ?? throw new KubeConfigException($"{path}: cluster has no server");
        X509Certificate2Collection? ca = null;
        if (Bytes(cluster, "certificate-authority", baseDir) is { } caPem)
        {
            ca = [];
            ca.ImportFromPem(Encoding.UTF8.GetString(caPem));
        }
        string? token = null;
        X509Certificate2? clientCertificate = null;
        if (user is not null)
        {
            token = Scalar(user, "token")
                    ?? (Scalar(user, "tokenFile") is { } tokenFile ? File.ReadAllText(Resolve(tokenFile, baseDir)).Trim() : null);
            if (Bytes(user, "client-certificate", baseDir) is { } certPem && Bytes(user, "client-key", baseDir) is { } keyPem)
            {
                clientCertificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(certPem), Encoding.UTF8.GetString(keyPem));
            }
        }
        return new KubeConnection(new Uri(server), token, clientCertificate, ca,
            Scalar(cluster, "insecure-skip-tls-verify") == "true", Scalar(ctx, "namespace") ?? "default");
    }

    private static YamlMappingNode Named(YamlMappingNode root, string list, string name, string field, string path)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(list), out var node) && node is YamlSequenceNode items)
        {
            foreach (var item in items.OfType<YamlMappingNode>())
            {
                if (Scalar(item, "name") == name && item.Children.TryGetValue(new YamlScalarNode(field), out var value) && value is YamlMappingNode mapping)
                {
                    return mapping;
                }
            }
        }
        throw new KubeConfigException($"{path}: no {field} named '{name}' in {list}");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    // "<key>-data" holds base64 bytes; "<key>" names a file.
    private static byte[]? Bytes(YamlMappingNode node, string key, string baseDir) =>
        Scalar(node, key + "-data") is { } data ? Convert.FromBase64String(data)
        : Scalar(node, key) is { } file ? File.ReadAllBytes(Resolve(file, baseDir))
        : null;

    private static string Resolve(string file, string baseDir) => Path.IsPathRooted(file) ? file : Path.Combine(baseDir, file);
}

/// <summary>The kubeconfig or in-cluster configuration cannot be used; the message says why.</summary>
public sealed class KubeConfigException(string message) : Exception(message);
