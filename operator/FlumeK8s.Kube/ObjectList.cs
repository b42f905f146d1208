using System.Text.Json.Nodes;

namespace FlumeK8s.Kube;

/// <summary>The items of a list and the resourceVersion to watch from afterwards.</summary>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, string ResourceVersion);
