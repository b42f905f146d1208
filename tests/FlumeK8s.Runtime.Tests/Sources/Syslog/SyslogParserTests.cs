using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

public sealed class SyslogParserTests
{
    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static Event Parse(string message, SyslogKeepFields keep = SyslogKeepFields.None, bool truncated = false, TimeProvider? time = null) =>
        new SyslogParser(keep, Encoding.UTF8, time ?? Clock).Parse(Encoding.UTF8.GetBytes(message), truncated);

    private static string Body(Event e) => Encoding.UTF8.GetString(e.Body);

    [Fact]
    public void Parse_Rfc5424_SetsFlumeHeadersAndBodyAfterHostname()
    {
        var e = Parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8");

        Assert.Equal("4", e.GetHeader("Facility"));
        Assert.Equal("2", e.GetHeader("Severity"));
        Assert.Equal("34", e.GetHeader("priority"));
        Assert.Equal("1", e.GetHeader("version"));
        Assert.Equal("1065910455003", e.GetHeader("timestamp"));
        Assert.Equal("mymachine.example.com", e.GetHeader("host"));
        Assert.Null(e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("su - ID47 - 'su root' failed for lonvick on /dev/pts/8", Body(e));
    }

    [Theory]
    [InlineData("2003-08-24T05:14:15.000003-07:00", 1061727255000)]
    [InlineData("1985-04-12T23:20:50.52Z", 482196050520)]
    [InlineData("1985-04-12T19:20:50.52-04:00", 482196050520)]
    [InlineData("2003-10-11T22:14:15Z", 1065910455000)]
    [InlineData("2003-10-11T22:14:15", 1065910455000)]
    public void Parse_Rfc5424TimestampForms_EpochMillisInUtc(string stamp, long expected)
    {
        var e = Parse($"<165>1 {stamp} host app - - - hello");

        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), e.GetHeader("timestamp"));
    }

    [Fact]
    public void Parse_Rfc5424NilTimestampAndHostname_NoTimestampOrHostHeader()
    {
        var e = Parse("<165>1 - - app 1234 ID - message");

        Assert.Null(e.GetHeader("timestamp"));
        Assert.Null(e.GetHeader("host"));
        Assert.Null(e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("app 1234 ID - message", Body(e));
    }

    [Fact]
    public void Parse_Rfc5424Ipv6Hostname_IsTheHost()
    {
        var e = Parse("<14>1 2026-03-01T10:00:00Z 2001:db8::7 app - - - up");

        Assert.Equal("2001:db8::7", e.GetHeader("host"));
        Assert.Equal("app - - - up", Body(e));
    }

    [Fact]
    public void Parse_Rfc3164_UsesTheYearOfTheInjectedClock()
    {
        var e = Parse("<13>Oct 11 22:14:15 mymachine su: 'su root' failed");

        Assert.Equal("1", e.GetHeader("Facility"));
        Assert.Equal("5", e.GetHeader("Severity"));
        Assert.Equal("13", e.GetHeader("priority"));
        Assert.Null(e.GetHeader("version"));
        Assert.Equal(new DateTimeOffset(2026, 10, 11, 22, 14, 15, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), e.GetHeader("timestamp"));
        Assert.Equal("mymachine", e.GetHeader("host"));
        Assert.Equal("su: 'su root' failed", Body(e));
    }

    [Fact]
    public void Parse_Rfc3164DecemberMessageReadInJanuary_BelongsToLastYear()
    {
        var january = new ManualTimeProvider(new DateTimeOffset(2027, 1, 2, 0, 0, 10, TimeSpan.Zero));

        var e = Parse("<13>Dec 31 23:59:59 host late", time: january);

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), e.GetHeader("timestamp"));
    }

    [Fact]
    public void Parse_Rfc3164JanuaryMessageReadOnNewYearsEve_BelongsToNextYear()
    {
        var eve = new ManualTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero));

        var e = Parse("<13>Jan  1 00:00:01 host early", time: eve);

        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), e.GetHeader("timestamp"));
        Assert.Equal("early", Body(e));
    }

    [Fact]
    public void Parse_Rfc3164ImpossibleDate_ValidMessageWithoutTimestamp()
    {
        var e = Parse("<13>Feb 30 10:00:00 host text");

        Assert.Null(e.GetHeader("timestamp"));
        Assert.Null(e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("host", e.GetHeader("host"));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("<>Oct 11 22:14:15 host text")]
    [InlineData("<1234>Oct 11 22:14:15 host text")]
    [InlineData("<1a>Oct 11 22:14:15 host text")]
    [InlineData("<13 Oct 11 22:14:15 host text")]
    public void Parse_NoValidPriority_InvalidWithTheWholeMessageAsBody(string message)
    {
        var e = Parse(message);

        Assert.Equal(SyslogHeaders.Invalid, e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("0", e.GetHeader("Facility"));
        Assert.Equal("0", e.GetHeader("Severity"));
        Assert.Equal(message, Body(e));
    }

    [Fact]
    public void Parse_PriorityButNoRecognisedHeader_InvalidKeepingFacilityAndSeverity()
    {
        var e = Parse("<30>just some text");

        Assert.Equal(SyslogHeaders.Invalid, e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("3", e.GetHeader("Facility"));
        Assert.Equal("6", e.GetHeader("Severity"));
        Assert.Equal("<30>just some text", Body(e));
    }

    [Fact]
    public void Parse_Truncated_ParsedAndMarkedIncomplete()
    {
        var e = Parse("<13>Oct 11 22:14:15 host the beginning of a long mess", truncated: true);

        Assert.Equal(SyslogHeaders.Incomplete, e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("host", e.GetHeader("host"));
        Assert.Equal("the beginning of a long mess", Body(e));
    }

    [Fact]
    public void Parse_TruncatedAndInvalid_Invalid()
    {
        var e = Parse("ssage that was cut", truncated: true);

        Assert.Equal(SyslogHeaders.Invalid, e.GetHeader(SyslogHeaders.Status));
    }

    [Fact]
    public void Parse_KeepAll_BodyIsTheMessageAsReceived()
    {
        const string message = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - text";

        var e = Parse(message, SyslogKeepFields.All);

        Assert.Equal(message, Body(e));
        Assert.Equal("mymachine.example.com", e.GetHeader("host"));
    }

    [Fact]
    public void Parse_KeepEveryFieldByName_PrefixRebuiltInFlumeOrder()
    {
        const SyslogKeepFields every = SyslogKeepFields.Priority | SyslogKeepFields.Version | SyslogKeepFields.Timestamp | SyslogKeepFields.Hostname;

        var e = Parse("<34>1 2003-10-11T22:14:15.003Z mymachine su - - - text", every);

        Assert.Equal("<34>1 2003-10-11T22:14:15.003Z mymachine su - - - text", Body(e));
    }

    [Fact]
    public void Parse_KeepPriorityAndHostname_OnlyThoseBeforeTheMessage()
    {
        var e = Parse("<13>Oct  1 22:14:15 mymachine su: failed", SyslogKeepFields.Priority | SyslogKeepFields.Hostname);

        Assert.Equal("<13>mymachine su: failed", Body(e));
    }

    [Fact]
    public void Parse_KeepTimestampOfRfc3164_RawTimestampText()
    {
        var e = Parse("<13>Oct  1 22:14:15 mymachine su: failed", SyslogKeepFields.Timestamp);

        Assert.Equal("Oct  1 22:14:15 su: failed", Body(e));
    }

    [Fact]
    public void Parse_KeepTimestampWhenNil_KeepsTheDash()
    {
        var e = Parse("<13>1 - host app - - - text", SyslogKeepFields.Timestamp | SyslogKeepFields.Version);

        Assert.Equal("1 - app - - - text", Body(e));
    }

    [Fact]
    public void Parse_NothingAfterTheHeader_BodyIsTheWholeMessage()
    {
        var e = Parse("<13>Oct 11 22:14:15 host ");

        Assert.Null(e.GetHeader(SyslogHeaders.Status));
        Assert.Equal("<13>Oct 11 22:14:15 host ", Body(e));
    }

    [Fact]
    public void Parse_BodyBytesThatAreNotUtf8_ReachTheBodyUnchanged()
    {
        var message = Encoding.ASCII.GetBytes("<13>Oct 11 22:14:15 host caf").Concat(new byte[] { 0xE9, 0xFF, 0x00, (byte)'!' }).ToArray();

        var e = new SyslogParser(SyslogKeepFields.None, Encoding.UTF8, Clock).Parse(message, truncated: false);

        Assert.Null(e.GetHeader(SyslogHeaders.Status));
        Assert.Equal(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9, 0xFF, 0x00, (byte)'!' }, e.Body);
    }

    [Fact]
    public void Parse_StrictCharsetRejectsTheBytes_Invalid()
    {
        var strict = (Encoding)Encoding.UTF8.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        var message = Encoding.ASCII.GetBytes("<13>Oct 11 22:14:15 host caf").Append((byte)0xE9).ToArray();

        var e = new SyslogParser(SyslogKeepFields.None, strict, Clock).Parse(message, truncated: false);

        Assert.Equal(SyslogHeaders.Invalid, e.GetHeader(SyslogHeaders.Status));
        Assert.Equal(message, e.Body);
    }

    [Fact]
    public void Parse_MultilineMessage_NewlinesStayInTheBody()
    {
        var e = Parse("<11>1 2026-01-01T00:00:00Z host app - - - Exception\n  at Foo()\n  at Bar()");

        Assert.Equal("app - - - Exception\n  at Foo()\n  at Bar()", Body(e));
    }
}
