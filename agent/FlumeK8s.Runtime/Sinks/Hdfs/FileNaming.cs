using System.Globalization;
using System.Text.RegularExpressions;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// File names as Flume makes them: <c>&lt;prefix&gt;.&lt;counter&gt;&lt;suffix&gt;</c> when finished (suffix =
/// <c>hdfs.fileSuffix</c>, else <c>.gz</c> for gzip), <c>&lt;inUsePrefix&gt;&lt;finished name&gt;&lt;inUseSuffix&gt;</c>
/// while written, and the pattern that recognizes this sink's in-use files after a crash.
/// </summary>
internal sealed class FileNaming
{
    private readonly HdfsSinkSettings _settings;
    private readonly Regex? _inUse;

    public FileNaming(HdfsSinkSettings settings, string? constantPrefix)
    {
        _settings = settings;
        if (settings.InUsePrefix.Length > 0 || settings.InUseSuffix.Length > 0)
        {
            var prefix = constantPrefix is null ? ".*" : Regex.Escape(constantPrefix);
            _inUse = new Regex(
                $"^{Regex.Escape(settings.InUsePrefix)}(?<final>{prefix}\\.[0-9]+{Regex.Escape(settings.FinalSuffix)}){Regex.Escape(settings.InUseSuffix)}$",
                RegexOptions.CultureInvariant);
        }
    }

    public string FinalName(string prefix, long counter) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}.{counter}{_settings.FinalSuffix}");

    public string InUseName(string finalName) => _settings.InUsePrefix + finalName + _settings.InUseSuffix;

    /// <summary>
    /// Where a file goes whose tail could not be cut back to its last flushed batch: hidden from
    /// Hadoop input formats (leading '_'), with the length of its good part in the name.
    /// </summary>
    public static string DamagedName(string finalName, long goodLength) =>
        string.Create(CultureInfo.InvariantCulture, $"_{finalName}.damaged-{goodLength}");

    /// <summary>The finished name of an in-use file this sink could have left, or null.</summary>
    public string? FinalNameOf(string inUseName)
    {
        var match = _inUse?.Match(inUseName);
        return match is { Success: true } ? match.Groups["final"].Value : null;
    }

    public static string Combine(string directory, string name) => directory.EndsWith('/') ? directory + name : directory + "/" + name;
}
