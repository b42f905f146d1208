using System.Globalization;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// Finds the bucket (directory and file prefix) of an event: both templates rendered with the
/// event's headers and time, the time being the <c>timestamp</c> header (ms) or, with
/// <c>hdfs.useLocalTimeStamp</c>, the sink's clock, rounded down when <c>hdfs.round</c> is on.
/// </summary>
internal sealed class BucketResolver(PathTemplate directory, PathTemplate prefix, TimeRounding? round, TimeZoneInfo zone, bool useLocalTimeStamp)
{
    public const string TimestampHeader = "timestamp";

    /// <summary>True when every event lands in the same bucket.</summary>
    public bool IsConstant => directory.IsConstant && prefix.IsConstant;

    public PathTemplate Directory => directory;

    public PathTemplate Prefix => prefix;

    public (string Directory, string Prefix) Resolve(Event @event, long nowMillis)
    {
        var time = directory.NeedsTime || prefix.NeedsTime ? TimeOf(@event, nowMillis) : 0;
        return (Normalize(directory.Render(@event, time, zone)), prefix.Render(@event, time, zone));
    }

    private long TimeOf(Event @event, long nowMillis)
    {
        long time;
        if (useLocalTimeStamp)
        {
            time = nowMillis;
        }
        else
        {
            var header = @event.GetHeader(TimestampHeader);
            if (header is null || !long.TryParse(header, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out time))
            {
                throw new MissingTimestampException(
                    (header is null ? "an event has no 'timestamp' header" : $"an event's 'timestamp' header '{header}' is not a time in ms") +
                    $" but hdfs.path '{directory.Text}' or hdfs.filePrefix '{prefix.Text}' uses time escapes and hdfs.useLocalTimeStamp is false;" +
                    " add a timestamp interceptor to the source or set hdfs.useLocalTimeStamp = true (the batch stays in the channel)");
            }
        }
        return round is null ? time : round.RoundDown(time, zone);
    }

    // Header values may bring doubled or trailing slashes; the file system would fold them anyway.
    private static string Normalize(string path)
    {
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
