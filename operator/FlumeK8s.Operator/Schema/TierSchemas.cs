using System.Text.Json.Nodes;
using FlumeK8s.Operator.Yaml;

namespace FlumeK8s.Operator.Schema;

/// <summary>The schemas of the tier kinds, read from the CRDs in crds/ (embedded in this assembly).</summary>
internal sealed class TierSchemas
{
    public const string Group = "flumek8s.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    private readonly Dictionary<string, StructuralSchema> _byKind;

    private TierSchemas(Dictionary<string, StructuralSchema> byKind) => _byKind = byKind;

    public static TierSchemas Embedded { get; } = Load();

    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    public StructuralSchema? For(string kind) => _byKind.GetValueOrDefault(kind);

    private static TierSchemas Load()
    {
        var assembly = typeof(TierSchemas).Assembly;
        var byKind = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("crds/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            foreach (var document in YamlJson.Read(reader.ReadToEnd()))
            {
                var spec = document.Root!["spec"]!;
                var version = spec["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == Version)!;
                var kind = spec["names"]!["kind"]!.GetValue<string>();
                byKind[kind] = new StructuralSchema(version["schema"]!["openAPIV3Schema"]!.AsObject());
            }
        }
        return new TierSchemas(byKind);
    }
}
