using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs.Paths;

public sealed class PathTemplateTests
{
    // Saturday 2026-03-07 14:05:09.123 UTC.
    private static readonly long Time = new DateTimeOffset(2026, 3, 7, 14, 5, 9, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly HostIdentity Host = new("web-1", "10.1.2.3", "web-1.example.org");

    private static string Render(string template, long? time = null, TimeZoneInfo? zone = null, Event? @event = null)
    {
        var compiled = PathTemplate.Parse(template, Host, out var error);
        Assert.True(compiled is not null, error);
        return compiled!.Render(@event ?? new Event([]), time ?? Time, zone ?? TimeZoneInfo.Utc);
    }

    [Theory]
    [InlineData("%a", "Sat")]
    [InlineData("%A", "Saturday")]
    [InlineData("%b", "Mar")]
    [InlineData("%B", "March")]
    [InlineData("%c", "Sat Mar 7 14:05:09 2026")]
    [InlineData("%d", "07")]
    [InlineData("%e", "7")]
    [InlineData("%D", "03/07/26")]
    [InlineData("%H", "14")]
    [InlineData("%I", "02")]
    [InlineData("%j", "066")]
    [InlineData("%k", "14")]
    [InlineData("%l", "2")]
    [InlineData("%m", "03")]
    [InlineData("%n", "3")]
    [InlineData("%M", "05")]
    [InlineData("%p", "PM")]
    [InlineData("%S", "09")]
    [InlineData("%y", "26")]
    [InlineData("%Y", "2026")]
    [InlineData("%z", "+0000")]
    [InlineData("%s", "1772892309")]
    [InlineData("%t", "1772892309123")]
    [InlineData("%%", "%")]
    [InlineData("/logs/%Y/%m/%d/%H", "/logs/2026/03/07/14")]
    public void Render_EachTimeEscape_JavaFormatOfTheEventTime(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Fact]
    public void Render_TimeZone_FieldsAndOffsetInThatZone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

        Assert.Equal("2026-03-07 06:05 AM -0800", Render("%Y-%m-%d %I:%M %p %z", zone: zone));
    }

    [Theory]
    [InlineData("%[localhost]", "web-1")]
    [InlineData("%[IP]", "10.1.2.3")]
    [InlineData("%[FQDN]", "web-1.example.org")]
    [InlineData("%[fqdn]/x", "web-1.example.org/x")]
    public void Render_HostEscapes_HostIdentity(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Fact]
    public void Render_HeaderEscape_ValueOrEmptyWhenMissing()
    {
        var @event = Event.FromText("x", new Dictionary<string, string> { ["app.name"] = "billing", ["dc-id"] = "eu" });

        Assert.Equal("/d/billing/eu/", Render("/d/%{app.name}/%{dc-id}/%{missing}", @event: @event));
    }

    [Fact]
    public void Render_SameSecondAndHeaders_ReusesResultButFollowsChanges()
    {
        var template = PathTemplate.Parse("/d/%{h}/%S", Host, out _)!;
        var a = Event.FromText("x", new Dictionary<string, string> { ["h"] = "a" });
        var b = Event.FromText("x", new Dictionary<string, string> { ["h"] = "b" });

        var first = template.Render(a, Time, TimeZoneInfo.Utc);
        Assert.Same(first, template.Render(a, Time + 500, TimeZoneInfo.Utc));
        Assert.Equal("/d/b/09", template.Render(b, Time, TimeZoneInfo.Utc));
        Assert.Equal("/d/b/10", template.Render(b, Time + 1000, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("/d/%Q", "'%Q' is not an escape")]
    [InlineData("/d/%", "lone '%'")]
    [InlineData("/d/%{}", "not a valid")]
    [InlineData("/d/%{open", "not a valid")]
    [InlineData("/d/%[host]", "does not match any of localhost, IP, FQDN")]
    public void Parse_BadEscape_ClearError(string template, string expected)
    {
        Assert.Null(PathTemplate.Parse(template, Host, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Parse_FixedPrefixAndConstancy_Reported()
    {
        var timed = PathTemplate.Parse("/data/logs/%Y/%{h}", Host, out _)!;
        var constant = PathTemplate.Parse("/data/%[localhost]/x", Host, out _)!;

        Assert.Equal("/data/logs/", timed.FixedPrefix);
        Assert.True(timed.NeedsTime);
        Assert.False(timed.IsConstant);
        Assert.True(constant.IsConstant);
        Assert.False(constant.NeedsTime);
    }

    [Theory]
    [InlineData(RoundUnit.Second, 30, "2026-03-07 14:05:00")]
    [InlineData(RoundUnit.Minute, 10, "2026-03-07 14:00:00")]
    [InlineData(RoundUnit.Minute, 1, "2026-03-07 14:05:00")]
    [InlineData(RoundUnit.Hour, 6, "2026-03-07 12:00:00")]
    [InlineData(RoundUnit.Day, 1, "2026-03-07 00:00:00")]
    public void RoundDown_Units_FloorToMultiple(RoundUnit unit, int value, string expected)
    {
        var rounded = new TimeRounding(unit, value).RoundDown(Time, TimeZoneInfo.Utc);

        Assert.Equal(expected, DateTimeOffset.FromUnixTimeMilliseconds(rounded).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void RoundDown_HalfHourZone_HourStartsInThatZone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

        var rounded = new TimeRounding(RoundUnit.Hour, 1).RoundDown(Time, zone);

        // 19:35 in +05:30 rounds to 19:00 there, which is 13:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 13, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), rounded);
        Assert.Equal("19", Render("%H", rounded, zone));
    }
}
