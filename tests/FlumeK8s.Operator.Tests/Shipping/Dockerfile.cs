using System.Text.RegularExpressions;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// The repository's Dockerfile read as BuildKit reads it: comments and parser directives dropped,
/// backslash continuations joined, instructions grouped into stages, ARG defaults before the first FROM.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is: the last one.</summary>
    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) => Stages.Single(s => s.Name == name);

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<(string Image, string? Name, List<DockerfileInstruction> Instructions)>();
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Words;
                stages.Add((words[0], words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, []));
            }
            else if (stages.Count == 0)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw new FormatException($"line {instruction.Line}: only ARG may come before the first FROM");
                }
                var (name, value) = Arg(instruction);
                globalArgs[name] = value ?? "";
            }
            else
            {
                stages[^1].Instructions.Add(instruction);
            }
        }
        return new Dockerfile(globalArgs, [.. stages.Select(s => new DockerStage(s.Image, s.Name, s.Instructions))]);
    }

    /// <summary>An ARG's name and default (null when it has none).</summary>
    public static (string Name, string? Default) Arg(DockerfileInstruction instruction)
    {
        var text = instruction.Rest;
        var equals = text.IndexOf('=');
        return equals < 0 ? (text, null) : (text[..equals], text[(equals + 1)..].Trim('"'));
    }

    private static IEnumerable<DockerfileInstruction> Instructions(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }
            var start = i + 1;
            var joined = line;
            // BuildKit drops the backslash and the line break, and a comment line inside a continuation.
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined = joined[..^1];
                var next = lines[++i].TrimEnd('\r');
                if (!next.TrimStart().StartsWith('#'))
                {
                    joined += next;
                }
            }
            var match = InstructionPattern().Match(joined);
            if (!match.Success)
            {
                throw new FormatException($"line {start}: not an instruction: {line}");
            }
            yield return new DockerfileInstruction(match.Groups["keyword"].Value.ToUpperInvariant(), match.Groups["rest"].Value.Trim(), start);
        }
    }

    [GeneratedRegex(@"^\s*(?<keyword>[A-Za-z]+)\s+(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex InstructionPattern();
}
