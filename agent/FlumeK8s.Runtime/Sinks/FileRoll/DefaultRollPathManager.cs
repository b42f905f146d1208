using System.Globalization;

namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>
/// Flume's DEFAULT naming: <c>&lt;prefix&gt;&lt;series&gt;-&lt;n&gt;</c> plus <c>.&lt;extension&gt;</c> when one is set,
/// where the series is the sink's creation time in epoch ms and n counts files from 1.
/// </summary>
internal sealed class DefaultRollPathManager(string prefix, string extension, long seriesMillis) : IRollPathManager
{
    private int _index;

    public string NextFileName(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{seriesMillis}-{++_index}{(extension.Length > 0 ? "." + extension : "")}");
}
