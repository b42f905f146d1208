using System.Globalization;

namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>
/// Flume's ROLLTIME naming: <c>&lt;prefix&gt;&lt;yyyyMMddHHmmss&gt;-&lt;n&gt;</c> plus <c>.&lt;extension&gt;</c>, n counting
/// from 1 within each second. The time is UTC (Flume uses the JVM's local zone).
/// </summary>
internal sealed class RollTimePathManager(string prefix, string extension) : IRollPathManager
{
    private string _lastStamp = "";
    private int _index;

    public string NextFileName(DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        if (stamp != _lastStamp)
        {
            _lastStamp = stamp;
            _index = 0;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{stamp}-{++_index}{(extension.Length > 0 ? "." + extension : "")}");
    }
}
