using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors;

/// <summary>
/// Compiles the regular expressions interceptors read from configuration, once, when the
/// configuration is planned. Patterns are .NET patterns: they agree with Java's for what Flume
/// configurations use (classes, groups, quantifiers, anchors, \d \s \w); Java-only syntax such as
/// possessive quantifiers or \Q…\E fails here, on its key, instead of later.
/// </summary>
internal static class ConfiguredRegex
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    /// <summary>The compiled pattern, or null after reporting why it does not compile.</summary>
    public static Regex? Compile(ComponentContext context, string key, string pattern) =>
        Validate(context, key, pattern) ? new Regex(pattern, Options) : null;

    /// <summary>
    /// A pattern that must match the whole input, as Java's <c>Matcher.matches()</c> requires
    /// (checking that a match spans the input is not the same: "a|ab" matches all of "ab").
    /// </summary>
    public static Regex? CompileWhole(ComponentContext context, string key, string pattern) =>
        // Validated alone first: wrapping would make an unbalanced pattern like "a)(b" compile.
        Validate(context, key, pattern) ? new Regex($@"\A(?:{pattern})\z", Options) : null;

    private static bool Validate(ComponentContext context, string key, string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return true;
        }
        catch (ArgumentException e)
        {
            context.Error(key, $"'{pattern}' is not a valid regular expression: {e.Message}");
            return false;
        }
    }
}
