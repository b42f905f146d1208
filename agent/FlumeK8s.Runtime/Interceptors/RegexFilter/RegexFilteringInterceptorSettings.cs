using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.RegexFilter;

/// <summary>The regex_filter interceptor's properties, with Flume's names and defaults.</summary>
internal sealed record RegexFilteringInterceptorSettings(Regex Regex, bool ExcludeEvents)
{
    public static RegexFilteringInterceptorSettings Read(ComponentContext context)
    {
        var regex = ConfiguredRegex.Compile(context, "regex", context.GetString("regex", ".*"));
        var excludeEvents = context.GetBool("excludeEvents", false);
        // A configuration with errors is never built: the never-matching stand-in only lets the other properties be checked.
        return new RegexFilteringInterceptorSettings(regex ?? new Regex("(?!)"), excludeEvents);
    }
}
