using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>
/// One <c>serializers.&lt;s&gt;.</c> entry: the header it sets (<c>name</c>) and its <c>type</c>,
/// pass-through (Flume's "DEFAULT") or millis with a <c>pattern</c>. Flume's class names are accepted.
/// </summary>
internal sealed record RegexExtractorSerializerSettings(string HeaderName, JodaDatePattern? MillisPattern)
{
    private const string PassThroughClass = "org.apache.flume.interceptor.RegexExtractorInterceptorPassThroughSerializer";
    private const string MillisClass = "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer";

    public IExtractorSerializer Create(TimeZoneInfo zone) =>
        MillisPattern is null ? PassThroughSerializer.Instance : new MillisSerializer(MillisPattern, zone);

    /// <summary>Reads the serializer whose keys <paramref name="context"/> is scoped to.</summary>
    public static RegexExtractorSerializerSettings Read(ComponentContext context)
    {
        var name = context.Require("name");
        if (name.Length == 0 && context.Contains("name"))
        {
            context.Error("name", "must not be empty: it is the header the group is stored in");
        }
        var type = context.GetString("type", "DEFAULT");
        if (type.Equals("DEFAULT", StringComparison.OrdinalIgnoreCase) || type == PassThroughClass)
        {
            return new RegexExtractorSerializerSettings(name, null);
        }
        if (type.Equals("millis", StringComparison.OrdinalIgnoreCase) || type == MillisClass)
        {
            return new RegexExtractorSerializerSettings(name, ReadPattern(context));
        }
        context.Error("type", $"unknown serializer type '{type}'; known types: DEFAULT, millis, {PassThroughClass}, {MillisClass}");
        return new RegexExtractorSerializerSettings(name, null);
    }

    private static JodaDatePattern? ReadPattern(ComponentContext context)
    {
        var pattern = context.Require("pattern");
        if (!context.Contains("pattern"))
        {
            return null;
        }
        var translated = JodaDatePattern.Translate(pattern, out var error);
        if (error is not null)
        {
            context.Error("pattern", $"'{pattern}' is not a usable date pattern: {error}");
        }
        return translated;
    }
}
