namespace FlumeK8s.Operator.Tests.Envtest;

internal static class Kubeconfig
{
    /// <summary>
    /// A kubeconfig for the admin token. TLS verification is off because the API server makes up a
    /// self-signed certificate for itself at start; it listens on loopback only.
    /// </summary>
    public static void Write(string path, Uri server, string token) =>
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: envtest
              cluster:
                server: {server.AbsoluteUri.TrimEnd('/')}
                insecure-skip-tls-verify: true
            users:
            - name: admin
              user:
                token: {token}
            contexts:
            - name: envtest
              context:
                cluster: envtest
                user: admin
            current-context: envtest

            """);
}
