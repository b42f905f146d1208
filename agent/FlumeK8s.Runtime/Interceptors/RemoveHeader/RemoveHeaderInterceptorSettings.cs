using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.RemoveHeader;

/// <summary>
/// The remove_header interceptor's properties, with Flume's names and defaults: one exact name,
/// a list of names split by a separator pattern, and a pattern that whole header names must match.
/// </summary>
internal sealed partial record RemoveHeaderInterceptorSettings(string? WithName, IReadOnlyList<string> FromList, Regex? Matching)
{
    private const string DefaultSeparator = @"\s*,\s*";

    public static RemoveHeaderInterceptorSettings Read(ComponentContext context)
    {
        var withName = context.GetString("withName");
        var fromList = ReadList(context);
        var matching = context.GetString("matching") is { } pattern ? ConfiguredRegex.CompileWhole(context, "matching", pattern) : null;
        if (withName is null && !context.Contains("fromList") && !context.Contains("matching"))
        {
            context.Warning("withName", "none of withName, fromList or matching is set: this interceptor removes nothing");
        }
        return new RemoveHeaderInterceptorSettings(withName, fromList, matching);
    }

    private static string[] ReadList(ComponentContext context)
    {
        var separatorPattern = context.GetString("fromListSeparator");
        var separator = separatorPattern is null or DefaultSeparator
            ? DefaultSeparatorRegex()
            : ConfiguredRegex.Compile(context, "fromListSeparator", separatorPattern);
        var list = context.GetString("fromList");
        if (list is null || separator is null)
        {
            return [];
        }
        // Java's split drops trailing empty names; no header is called "" either, so drop them all.
        return separator.Split(list).Where(name => name.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    [GeneratedRegex(DefaultSeparator, RegexOptions.CultureInvariant)]
    private static partial Regex DefaultSeparatorRegex();
}
