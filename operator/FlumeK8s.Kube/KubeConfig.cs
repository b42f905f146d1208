using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;

namespace FlumeK8s.Kube;

/// <summary>
/// Where the API server is and how to authenticate, as the official client reads it: a kubeconfig
/// (its current or a named context; exec credential plugins, tokens, client certificates;
/// <c>$KUBECONFIG</c> lists merged when no file is named) or, inside a pod, the mounted service account.
/// </summary>
public static class KubeConfig
{
    public const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <param name="path">A kubeconfig file; null for <c>$KUBECONFIG</c> (merged) or <c>~/.kube/config</c>.</param>
    public static KubernetesClientConfiguration FromKubeconfig(string? path, string? context = null)
    {
        try
        {
            if (path is not null)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
            }
            // As kubectl: the files $KUBECONFIG lists, merged (first occurrence wins; the client
            // offers no context override for a merged list), else ~/.kube/config.
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG")) && context is null)
            {
                return KubernetesClientConfiguration.BuildDefaultConfig();
            }
            return File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation)
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: context)
                : throw new KubeConfigException("no kubeconfig: pass --kubeconfig, set KUBECONFIG, or run the operator in a cluster");
        }
        catch (Exception e) when (e is KubeConfigException or FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig {path ?? "$KUBECONFIG"}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The pod's service account. The token is read through the client's token-file provider, which
    /// reads the file again every minute: a projected token that the kubelet rotates keeps working.
    /// </summary>
    /// <param name="serviceAccountDir">Where Kubernetes mounts it (token, ca.crt, namespace).</param>
    /// <param name="environment">The process environment, for KUBERNETES_SERVICE_HOST and _PORT.</param>
    public static KubernetesClientConfiguration InCluster(string serviceAccountDir = ServiceAccountDir, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("not running in a cluster (KUBERNETES_SERVICE_HOST/PORT are not set); pass --kubeconfig");
        }
        var namespaceFile = Path.Combine(serviceAccountDir, "namespace");
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(Path.Combine(serviceAccountDir, "ca.crt"));
        return new KubernetesClientConfiguration
        {
            Host = new UriBuilder("https", host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)).ToString(),
            TokenProvider = new TokenFileAuth(Path.Combine(serviceAccountDir, "token")),
            SslCaCerts = ca,
            Namespace = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : "default",
        };
    }
}
