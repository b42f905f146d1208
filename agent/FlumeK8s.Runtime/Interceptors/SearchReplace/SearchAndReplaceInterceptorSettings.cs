using System.Text;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.SearchReplace;

/// <summary>
/// The search_replace interceptor's properties, with Flume's names and defaults. The replacement
/// keeps Java's syntax (<c>$1</c>, <c>${name}</c>, <c>\$</c>) and is held translated to .NET's.
/// </summary>
internal sealed record SearchAndReplaceInterceptorSettings(Regex SearchPattern, string Replacement, Encoding Charset)
{
    public static SearchAndReplaceInterceptorSettings Read(ComponentContext context)
    {
        var pattern = context.Require("searchPattern");
        if (pattern.Length == 0 && context.Contains("searchPattern"))
        {
            context.Error("searchPattern", "must not be empty");
        }
        var regex = pattern.Length == 0 ? null : ConfiguredRegex.Compile(context, "searchPattern", pattern);
        var replaceString = context.GetString("replaceString", "");
        var replacement = "";
        if (regex is not null)
        {
            replacement = JavaReplacement.ToDotNet(replaceString, regex, out var error) ?? "";
            if (error is not null)
            {
                context.Error("replaceString", $"'{replaceString}' is not a valid replacement: {error}");
            }
        }
        var charset = ReadCharset(context);
        // A configuration with errors is never built: the never-matching stand-in only lets the other properties be checked.
        return new SearchAndReplaceInterceptorSettings(regex ?? new Regex("(?!)"), replacement, charset);
    }

    /// <summary>Java charset names: the common ones are built in, the Windows code pages come from the code-pages provider.</summary>
    private static Encoding ReadCharset(ComponentContext context)
    {
        var name = context.GetString("charset");
        if (name is null)
        {
            return Encoding.UTF8;
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            if (CodePagesEncodingProvider.Instance.GetEncoding(name) is { } codePage)
            {
                return codePage;
            }
            context.Error("charset", $"'{name}' is not a known character set");
            return Encoding.UTF8;
        }
    }
}
