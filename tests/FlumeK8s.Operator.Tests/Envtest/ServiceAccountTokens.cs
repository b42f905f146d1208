using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using k8s;
using k8s.Models;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>
/// Service-account tokens from the TokenRequest API (what `kubectl create token` does, which
/// Debian's kubectl 1.20 lacks), optionally bound to a Secret so that deleting it revokes the token.
/// </summary>
internal static class ServiceAccountTokens
{
    public static async Task<string> RequestAsync(KubeClient admin, string @namespace, string serviceAccount, string? boundToSecret = null)
    {
        V1BoundObjectReference? bound = null;
        if (boundToSecret is not null)
        {
            var secret = await admin.CreateAsync(ResourceKind.Secret, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = boundToSecret, ["namespace"] = @namespace },
            }, default);
            bound = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Secret", Name = boundToSecret, Uid = secret["metadata"]!["uid"]!.GetValue<string>() };
        }
        // The service account controller creates "default" a moment after its namespace.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await admin.GetAsync(ResourceKind.ServiceAccount, @namespace, serviceAccount, default) is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"service account {@namespace}/{serviceAccount} never appeared");
            }
            await Task.Delay(200);
        }
        var request = new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = 3600, BoundObjectRef = bound },
        };
        var issued = await admin.Kubernetes.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, serviceAccount, @namespace);
        return issued.Status.Token;
    }
}
