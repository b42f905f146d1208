using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>One instruction of a Dockerfile, continuation lines joined, with the line it starts on.</summary>
internal sealed partial record DockerfileInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The flags before the arguments proper (<c>--from=build</c>, <c>--interval=30s</c>).</summary>
    public IReadOnlyDictionary<string, string> Flags => SplitFlags().Flags;

    /// <summary>The arguments after the flags: the exec form's JSON array, or the shell form split on blanks.</summary>
    public IReadOnlyList<string> Words
    {
        get
        {
            var rest = SplitFlags().Remainder;
            return rest.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(rest)! : Blanks().Split(rest).Where(w => w.Length > 0).ToArray();
        }
    }

    /// <summary>The arguments after the flags, as written.</summary>
    public string Rest => SplitFlags().Remainder;

    private (Dictionary<string, string> Flags, string Remainder) SplitFlags()
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = Arguments;
        while (FlagPattern().Match(rest) is { Success: true } flag)
        {
            flags[flag.Groups["name"].Value] = flag.Groups["value"].Value;
            rest = rest[flag.Length..];
        }
        return (flags, rest.Trim());
    }

    [GeneratedRegex(@"^--(?<name>[a-z-]+)(=(?<value>\S*))?\s+")]
    private static partial Regex FlagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();
}
