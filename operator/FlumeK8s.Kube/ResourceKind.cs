namespace FlumeK8s.Kube;

/// <summary>A kind of Kubernetes object and where the API serves it.</summary>
public sealed record ResourceKind(string Group, string Version, string Kind, string Plural, bool Namespaced = true)
{
    public static readonly ResourceKind ConfigMap = new("", "v1", "ConfigMap", "configmaps");
    public static readonly ResourceKind Service = new("", "v1", "Service", "services");
    public static readonly ResourceKind Pod = new("", "v1", "Pod", "pods");
    public static readonly ResourceKind Event = new("", "v1", "Event", "events");
    public static readonly ResourceKind Secret = new("", "v1", "Secret", "secrets");
    public static readonly ResourceKind ResourceQuota = new("", "v1", "ResourceQuota", "resourcequotas");
    public static readonly ResourceKind ServiceAccount = new("", "v1", "ServiceAccount", "serviceaccounts");
    public static readonly ResourceKind PersistentVolumeClaim = new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims");
    public static readonly ResourceKind StatefulSet = new("apps", "v1", "StatefulSet", "statefulsets");
    public static readonly ResourceKind Deployment = new("apps", "v1", "Deployment", "deployments");
    public static readonly ResourceKind Job = new("batch", "v1", "Job", "jobs");
    public static readonly ResourceKind DaemonSet = new("apps", "v1", "DaemonSet", "daemonsets");
    public static readonly ResourceKind Lease = new("coordination.k8s.io", "v1", "Lease", "leases");
    public static readonly ResourceKind PodDisruptionBudget = new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets");
    public static readonly ResourceKind PodDisruptionBudgetV1Beta1 = new("policy", "v1beta1", "PodDisruptionBudget", "poddisruptionbudgets");

    /// <summary>apiVersion as written in objects: "v1" or "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, e.g. /apis/apps/v1/namespaces/ns/statefulsets.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? "/api/v1" : $"/apis/{Group}/{Version}";
        return Namespaced && @namespace is not null ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}" : $"{root}/{Plural}";
    }

    public string ObjectPath(string? @namespace, string name) => $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";
}
