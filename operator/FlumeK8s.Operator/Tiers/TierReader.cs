using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FlumeK8s.Operator.Schema;
using FlumeK8s.Operator.Yaml;
using YamlDotNet.Core;

namespace FlumeK8s.Operator.Tiers;

/// <summary>
/// Reads tier resources from a YAML multi-document stream as the API server would take them: each
/// document is checked and defaulted with its CRD's schema, then bound to the model. Every problem of
/// every document is reported, each naming the document and the field.
/// </summary>
public static class TierReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The namespace of a document that names none when the caller asks for none either.</summary>
    public const string DefaultNamespace = "default";

    /// <param name="requestedNamespace">kubectl's --namespace: the namespace of documents that name none;
    /// a document naming another one is an error, as with kubectl.</param>
    public static TierReadResult Read(string yaml, string? requestedNamespace = null)
    {
        IReadOnlyList<YamlJsonDocument> documents;
        try
        {
            documents = YamlJson.Read(yaml);
        }
        catch (YamlException e)
        {
            return new TierReadResult([], [$"line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.Message}"]);
        }
        var tiers = new List<ITier>();
        var problems = new List<string>();
        foreach (var document in documents)
        {
            var where = $"document at line {document.Line}";
            if (document.Root is not JsonObject resource)
            {
                problems.Add($"{where}: a resource must be a mapping");
                continue;
            }
            var tier = ReadOne(resource, where, requestedNamespace, problems);
            if (tier is not null)
            {
                tiers.Add(tier);
            }
        }
        foreach (var duplicate in tiers.GroupBy(t => (t.Metadata.Namespace, t.Metadata.Name)).Where(g => g.Count() > 1))
        {
            // The objects of a tier are named after it alone, so two tiers of one name would fight over them.
            problems.Add($"{duplicate.Key.Namespace}/{duplicate.Key.Name}: {duplicate.Count()} tiers have this name ({string.Join(", ", duplicate.Select(t => t.Kind))}); tier names must be unique in a namespace");
        }
        return new TierReadResult(tiers, problems);
    }

    /// <summary>One tier resource as the API server returns it (defaults applied, uid and generation set).</summary>
    public static TierReadResult ReadResource(JsonObject resource)
    {
        var problems = new List<string>();
        var tier = ReadOne(resource, "resource", null, problems);
        return new TierReadResult(tier is null ? [] : [tier], problems);
    }

    private static ITier? ReadOne(JsonObject resource, string where, string? requestedNamespace, List<string> problems)
    {
        var apiVersion = Text(resource["apiVersion"]);
        var kind = Text(resource["kind"]);
        var schema = kind is null ? null : TierSchemas.Embedded.For(kind);
        if (apiVersion != TierSchemas.ApiVersion || schema is null)
        {
            problems.Add($"{where}: not a tier: expected apiVersion {TierSchemas.ApiVersion} and kind {string.Join(", ", TierSchemas.Embedded.Kinds.Order())}, found {apiVersion ?? "no apiVersion"} {kind ?? "and no kind"}");
            return null;
        }
        var name = Text(resource["metadata"]?["name"]);
        var ns = Text(resource["metadata"]?["namespace"]);
        where = $"{kind} {name ?? "(no name)"} ({where})";
        if (name is null)
        {
            problems.Add($"{where}: metadata.name: required field is missing");
            return null;
        }
        if (ns is not null && requestedNamespace is not null && ns != requestedNamespace)
        {
            problems.Add($"{where}: metadata.namespace '{ns}' does not match the namespace '{requestedNamespace}' asked for");
            return null;
        }
        ns ??= requestedNamespace ?? DefaultNamespace;
        var schemaProblems = schema.Apply(resource);
        if (schemaProblems.Count > 0)
        {
            problems.AddRange(schemaProblems.Select(p => $"{where}: {p}"));
            return null;
        }
        try
        {
            ITier? tier = kind switch
            {
                nameof(TierKind.AgentTier) => resource.Deserialize<AgentTier>(Json),
                nameof(TierKind.CollectorTier) => resource.Deserialize<CollectorTier>(Json),
                _ => resource.Deserialize<StoreTier>(Json),
            };
            // The pod fields sit beside the kind's own in the spec: one record reads them for every kind.
            var pod = resource["spec"].Deserialize<TierPodSpec>(Json) ?? new TierPodSpec();
            return tier?.With(tier.Metadata with { Namespace = ns }, tier.Spec.WithPod(pod));
        }
        catch (JsonException e)
        {
            problems.Add($"{where}: {e.Path}: {e.Message}");
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
