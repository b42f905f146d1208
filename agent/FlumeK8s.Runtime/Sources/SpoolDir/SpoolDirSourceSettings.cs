using System.Text;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sources.Text;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// The spooling directory source's properties, with Flume's names and defaults. Patterns match the
/// whole file name, as Java's <c>Matcher.matches()</c> does. <see cref="TrackerDir"/> is resolved
/// against <see cref="SpoolDir"/> when relative.
/// </summary>
public sealed record SpoolDirSourceSettings(
    string SpoolDir,
    string FileSuffix,
    bool DeleteImmediately,
    SpoolTrackingPolicy TrackingPolicy,
    string TrackerDir,
    Regex IncludePattern,
    Regex IgnorePattern,
    SpoolConsumeOrder ConsumeOrder,
    TimeSpan PollDelay,
    bool RecursiveDirectorySearch,
    TimeSpan MaxBackoff,
    int BatchSize,
    Encoding InputCharset,
    SpoolDecodeErrorPolicy DecodeErrorPolicy,
    string? FileHeaderKey,
    string? BasenameHeaderKey,
    int MaxLineLength,
    Encoding OutputCharset)
{
    public static SpoolDirSourceSettings Read(ComponentContext context)
    {
        var spoolDir = context.Require("spoolDir");
        if (spoolDir.Length > 0 && !Path.IsPathFullyQualified(spoolDir))
        {
            spoolDir = Path.GetFullPath(spoolDir);
        }
        var fileSuffix = context.GetString("fileSuffix", ".COMPLETED");
        if (fileSuffix.Length == 0)
        {
            context.Error("fileSuffix", "the suffix must not be empty: it is how finished files are told apart");
        }
        var deletePolicy = context.GetChoice("deletePolicy", "never", "never", "immediate");
        var tracking = context.GetChoice("trackingPolicy", "rename", "rename", "tracker_dir");
        var trackerDir = context.GetString("trackerDir", ".flumespool");
        var decodePolicy = Enum.Parse<SpoolDecodeErrorPolicy>(context.GetChoice("decodeErrorPolicy", "FAIL", "FAIL", "REPLACE", "IGNORE"), ignoreCase: true);
        var deserializer = context.GetString("deserializer", "LINE");
        if (!string.Equals(deserializer, "LINE", StringComparison.OrdinalIgnoreCase))
        {
            context.Error("deserializer", $"'{deserializer}' is not supported; only LINE is");
        }
        var fileHeader = context.GetBool("fileHeader", false);
        var fileHeaderKey = context.GetString("fileHeaderKey", "file");
        var basenameHeader = context.GetBool("basenameHeader", false);
        var basenameHeaderKey = context.GetString("basenameHeaderKey", "basename");
        return new SpoolDirSourceSettings(
            spoolDir,
            fileSuffix,
            deletePolicy == "immediate",
            tracking == "rename" ? SpoolTrackingPolicy.Rename : SpoolTrackingPolicy.TrackerDir,
            Path.Combine(spoolDir, trackerDir),
            WholeNamePattern(context, "includePattern", "^.*$"),
            WholeNamePattern(context, "ignorePattern", "^$"),
            Enum.Parse<SpoolConsumeOrder>(context.GetChoice("consumeOrder", "oldest", "oldest", "youngest", "random"), ignoreCase: true),
            TimeSpan.FromMilliseconds(context.GetLong("pollDelay", 500, min: 1)),
            context.GetBool("recursiveDirectorySearch", false),
            TimeSpan.FromMilliseconds(context.GetLong("maxBackoff", 4000, min: 1)),
            context.GetInt("batchSize", 100, min: 1),
            Charsets.Read(context, "inputCharset", "UTF-8", DecoderFallbackFor(decodePolicy)),
            decodePolicy,
            fileHeader ? fileHeaderKey : null,
            basenameHeader ? basenameHeaderKey : null,
            context.GetInt("deserializer.maxLineLength", 2048, min: 1, max: 16 * 1024 * 1024),
            Charsets.Read(context, "deserializer.outputCharset", "UTF-8"));
    }

    private static DecoderFallback DecoderFallbackFor(SpoolDecodeErrorPolicy policy) => policy switch
    {
        SpoolDecodeErrorPolicy.Fail => DecoderFallback.ExceptionFallback,
        SpoolDecodeErrorPolicy.Replace => new DecoderReplacementFallback("\uFFFD"),
        _ => new DecoderReplacementFallback(""),
    };

    private static Regex WholeNamePattern(ComponentContext context, string key, string defaultPattern)
    {
        var pattern = context.GetString(key, defaultPattern);
        try
        {
            return new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            context.Error(key, $"'{pattern}' is not a valid regular expression: {e.Message}");
            return new Regex(defaultPattern, RegexOptions.CultureInvariant);
        }
    }
}
