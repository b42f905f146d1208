using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>
/// The regex_extractor interceptor's properties, with Flume's names: a required <c>regex</c> and a
/// required <c>serializers</c> list, the i-th serializer taking the i-th group (Java numbering,
/// held in <see cref="Groups"/> as .NET group numbers).
/// </summary>
internal sealed record RegexExtractorInterceptorSettings(
    Regex Regex,
    IReadOnlyList<int> Groups,
    IReadOnlyList<RegexExtractorSerializerSettings> Serializers)
{
    public static RegexExtractorInterceptorSettings Read(ComponentContext context)
    {
        var pattern = context.Require("regex");
        if (pattern.Length == 0 && context.Contains("regex"))
        {
            context.Error("regex", "must not be empty");
        }
        var regex = pattern.Length == 0 ? null : ConfiguredRegex.Compile(context, "regex", pattern);
        var serializers = ReadSerializers(context);
        var groups = regex is null ? [0] : JavaGroupOrder.Map(regex);
        if (regex is not null && serializers.Count > groups.Length - 1)
        {
            context.Warning("serializers", $"{serializers.Count} serializers but the regex has {groups.Length - 1} groups: the extra serializers never set a header");
        }
        // A configuration with errors is never built: the never-matching stand-in only lets the other properties be checked.
        return new RegexExtractorInterceptorSettings(regex ?? new Regex("(?!)"), groups, serializers);
    }

    private static List<RegexExtractorSerializerSettings> ReadSerializers(ComponentContext context)
    {
        var names = context.GetList("serializers");
        if (names.Count == 0)
        {
            context.Error("serializers", context.Contains("serializers")
                ? "lists no serializers: name one per group to extract"
                : "required property is missing: name one serializer per group to extract");
        }
        return [.. names.Select(name => RegexExtractorSerializerSettings.Read(context.Scope($"serializers.{name}.")))];
    }
}
