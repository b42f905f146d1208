using System.Text.Json.Nodes;

namespace FlumeK8s.Kube;

/// <summary>One event of a watch: ADDED, MODIFIED, DELETED or BOOKMARK, with the object (a bookmark carries only its resourceVersion).</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public string? ResourceVersion => Object["metadata"]?["resourceVersion"]?.GetValue<string>();
}
