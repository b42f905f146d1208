using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>Finding objects in a list of rendered manifests.</summary>
internal static class RenderedObjects
{
    public static string Kind(this JsonObject o) => (string)o["kind"]!;

    public static string Name(this JsonObject o) => (string)o["metadata"]!["name"]!;

    public static string? Namespace(this JsonObject o) => (string?)o["metadata"]!["namespace"];

    public static JsonObject Single(this IReadOnlyList<JsonObject> objects, string kind, string name) =>
        Assert.Single(objects, o => o.Kind() == kind && o.Name() == name);

    public static JsonObject Single(this IReadOnlyList<JsonObject> objects, string kind) => Assert.Single(objects, o => o.Kind() == kind);

    /// <summary>The operator container's arguments after the "operator" command.</summary>
    public static string[] OperatorArguments(this JsonObject deployment)
    {
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["flumek8s"], container["command"]!.AsArray().Select(c => (string)c!));
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToArray();
        Assert.Equal("operator", args[0]);
        return args[1..];
    }
}
