namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>
/// Flume's <c>hdfs.round</c>: a timestamp rounded down to a multiple of <c>roundValue</c> units,
/// counted in the time zone's wall clock (so an hour bucket in +05:30 starts at :30 UTC, as in
/// Flume, which rounds a Calendar in that zone).
/// </summary>
public sealed record TimeRounding(RoundUnit Unit, int Value)
{
    public long RoundDown(long epochMillis, TimeZoneInfo zone)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(epochMillis);
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var wall = local.DateTime;
        var rounded = Unit switch
        {
            RoundUnit.Second => new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute, wall.Second / Value * Value),
            RoundUnit.Minute => new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute / Value * Value, 0),
            RoundUnit.Hour => new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour / Value * Value, 0, 0),
            _ => new DateTime(wall.Year, wall.Month, 1).AddDays((wall.Day - 1) / Value * Value),
        };
        // The rounded wall time keeps the offset it had; across a DST change inside the bucket Flume's
        // Calendar picks the zone's offset for the new wall time, which this follows.
        var offset = zone.IsInvalidTime(rounded) ? local.Offset : zone.GetUtcOffset(rounded);
        return new DateTimeOffset(rounded, offset).ToUnixTimeMilliseconds();
    }
}
