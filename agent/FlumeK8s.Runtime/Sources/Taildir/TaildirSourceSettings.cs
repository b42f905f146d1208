using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>
/// The taildir source's properties, with Flume's names and defaults. In
/// <c>filegroups.&lt;g&gt; = /var/log/app/.*\.log</c> the directory part is literal and the file
/// name part is a regular expression matched against whole names, as Java's <c>matches()</c> does.
/// <c>batches-in-flight</c> is ours (<see cref="BatchesInFlightSetting"/>).
/// </summary>
public sealed record TaildirSourceSettings(
    IReadOnlyList<TaildirFileGroup> FileGroups,
    string PositionFile,
    bool ByteOffsetHeader,
    bool SkipToEnd,
    TimeSpan IdleTimeout,
    TimeSpan WritePosInterval,
    int BatchSize,
    long MaxBatchCount,
    bool CachePatternMatching,
    string? FileHeaderKey,
    int BatchesInFlight = BatchesInFlightSetting.Default)
{
    /// <summary>Flume's header name for the line's byte offset in its file.</summary>
    public const string ByteOffsetHeaderKey = "byteoffset";

    public static TaildirSourceSettings Read(ComponentContext context)
    {
        var names = context.Require("filegroups").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (context.Contains("filegroups") && names.Length == 0)
        {
            context.Error("filegroups", "list at least one file group");
        }
        var headers = GroupHeaders(context, names);
        var groups = new List<TaildirFileGroup>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (ReadGroup(context, name, headers.GetValueOrDefault(name) ?? []) is { } group)
            {
                groups.Add(group);
            }
        }
        var fileHeader = context.GetBool("fileHeader", false);
        var fileHeaderKey = context.GetString("fileHeaderKey", "file");
        return new TaildirSourceSettings(
            groups,
            ExpandHome(context.GetString("positionFile", "~/.flume/taildir_position.json")),
            context.GetBool("byteOffsetHeader", false),
            context.GetBool("skipToEnd", false),
            TimeSpan.FromMilliseconds(context.GetLong("idleTimeout", 120000, min: 1)),
            TimeSpan.FromMilliseconds(context.GetLong("writePosInterval", 3000, min: 1)),
            context.GetInt("batchSize", 100, min: 1),
            context.GetLong("maxBatchCount", long.MaxValue, min: 1),
            context.GetBool("cachePatternMatching", true),
            fileHeader ? fileHeaderKey : null,
            BatchesInFlightSetting.Read(context));
    }

    private static TaildirFileGroup? ReadGroup(ComponentContext context, string name, Dictionary<string, string> headers)
    {
        var key = $"filegroups.{name}";
        var path = context.Require(key);
        if (path.Length == 0)
        {
            return null;
        }
        var directory = Path.GetDirectoryName(path);
        var fileName = Path.GetFileName(path);
        if (string.IsNullOrEmpty(directory) || !Path.IsPathFullyQualified(directory) || fileName.Length == 0)
        {
            context.Error(key, $"'{path}' must be an absolute directory followed by a file name pattern, e.g. /var/log/app/.*\\.log");
            return null;
        }
        try
        {
            var pattern = new Regex($@"\A(?:{fileName})\z", RegexOptions.CultureInvariant);
            return new TaildirFileGroup(name, directory, pattern, headers);
        }
        catch (ArgumentException e)
        {
            context.Error(key, $"'{fileName}' is not a valid regular expression: {e.Message}");
            return null;
        }
    }

    // headers.<group>.<header> = value
    private static Dictionary<string, Dictionary<string, string>> GroupHeaders(ComponentContext context, string[] groups)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (key, value) in context.GetPrefixed("headers."))
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var group = dot > 0 ? key[..dot] : key;
            if (dot <= 0 || dot == key.Length - 1 || !groups.Contains(group, StringComparer.Ordinal))
            {
                context.Error($"headers.{key}", $"expected headers.<group>.<name> with a group listed in filegroups ({string.Join(", ", groups)})");
                continue;
            }
            if (!result.TryGetValue(group, out var headers))
            {
                result[group] = headers = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            headers[key[(dot + 1)..]] = value;
        }
        return result;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : Path.GetFullPath(path);
}
