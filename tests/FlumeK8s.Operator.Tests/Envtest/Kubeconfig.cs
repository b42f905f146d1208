namespace FlumeK8s.Operator.Tests.Envtest;

internal static class Kubeconfig
{
    /// <summary>
    /// A kubeconfig for the admin token. TLS verification is off because the API server makes up a
    /// self-signed certificate for itself at start; it listens on loopback only.
    /// </summary>
    public static void Write(string path, Uri server, string token) => WriteWithUser(path, server, $"token: {token}");

    /// <summary>The same with a user given as YAML (indented under <c>user:</c>), e.g. an exec credential plugin.</summary>
    public static void WriteWithUser(string path, Uri server, string user) =>
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
                {user.Replace("\n", "\n    ")}
            contexts:
            - name: envtest
              context:
                cluster: envtest
                user: admin
            current-context: envtest

            """);
}
