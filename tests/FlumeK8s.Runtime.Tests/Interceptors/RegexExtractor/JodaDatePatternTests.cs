using FlumeK8s.Runtime.Interceptors.RegexExtractor;

namespace FlumeK8s.Runtime.Tests.Interceptors.RegexExtractor;

public sealed class JodaDatePatternTests
{
    private static long Millis(string pattern, string text, TimeZoneInfo? zone = null)
    {
        var translated = JodaDatePattern.Translate(pattern, out var error);
        Assert.Null(error);
        Assert.True(translated!.TryParseMillis(text, zone ?? TimeZoneInfo.Utc, out var millis), $"'{text}' did not parse with '{pattern}'");
        return millis;
    }

    private static DateTimeOffset Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0) =>
        new(y, mo, d, h, mi, s, ms, TimeSpan.Zero);

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm", "2024-03-05 07:08", 2024, 3, 5, 7, 8, 0, 0)]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.SSS", "2024-03-05T07:08:09.123", 2024, 3, 5, 7, 8, 9, 123)]
    [InlineData("dd/MMM/yyyy:HH:mm:ss", "05/Mar/2024:07:08:09", 2024, 3, 5, 7, 8, 9, 0)]
    [InlineData("EEE, d MMMM yy h:mm a", "Tue, 5 March 24 7:08 PM", 2024, 3, 5, 19, 8, 0, 0)]
    [InlineData("yyyyMMddHHmmss", "20240305070809", 2024, 3, 5, 7, 8, 9, 0)]
    [InlineData("'at' HH 'o''clock' yyyy", "at 07 o'clock 2024", 2024, 1, 1, 7, 0, 0, 0)]
    public void TryParseMillis_CommonJodaPatterns_ParseAsJoda(string pattern, string text, int y, int mo, int d, int h, int mi, int s, int ms)
    {
        Assert.Equal(Utc(y, mo, d, h, mi, s, ms).ToUnixTimeMilliseconds(), Millis(pattern, text));
    }

    [Fact]
    public void TryParseMillis_NoYearInPattern_DefaultsToJodas1970()
    {
        Assert.Equal(Utc(1970, 1, 1, 7, 8).ToUnixTimeMilliseconds(), Millis("HH:mm", "07:08"));
        Assert.Equal(Utc(1970, 3, 5).ToUnixTimeMilliseconds(), Millis("MM-dd", "03-05"));
    }

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm Z", "2024-03-05 07:08 +0200")]
    [InlineData("yyyy-MM-dd HH:mm ZZ", "2024-03-05 07:08 +02:00")]
    public void TryParseMillis_OffsetInText_WinsOverTheZone(string pattern, string text)
    {
        Assert.Equal(Utc(2024, 3, 5, 5, 8).ToUnixTimeMilliseconds(), Millis(pattern, text, FixedZoneTimeProvider.CentralEurope));
    }

    [Fact]
    public void TryParseMillis_NoOffset_ReadsTheTimeInTheGivenZone()
    {
        Assert.Equal(Utc(2024, 3, 5, 5, 8).ToUnixTimeMilliseconds(), Millis("yyyy-MM-dd HH:mm", "2024-03-05 07:08", FixedZoneTimeProvider.PlusTwo));
        Assert.Equal(Utc(2024, 7, 1, 10, 0).ToUnixTimeMilliseconds(), Millis("yyyy-MM-dd HH:mm", "2024-07-01 12:00", FixedZoneTimeProvider.CentralEurope));
    }

    [Fact]
    public void TryParseMillis_RepeatedHourAtClockChange_TakesTheEarlierInstant()
    {
        Assert.Equal(Utc(2024, 10, 27, 0, 30).ToUnixTimeMilliseconds(), Millis("yyyy-MM-dd HH:mm", "2024-10-27 02:30", FixedZoneTimeProvider.CentralEurope));
    }

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm", "2024-03-31 02:30")] // skipped by the spring clock change
    [InlineData("yyyy-MM-dd HH:mm", "2024-03-05")]
    [InlineData("yyyy-MM-dd HH:mm", "yesterday")]
    [InlineData("yyyy-MM-dd", " 2024-03-05")]
    public void TryParseMillis_TextThatIsNoSuchTime_Fails(string pattern, string text)
    {
        var translated = JodaDatePattern.Translate(pattern, out _)!;

        Assert.False(translated.TryParseMillis(text, FixedZoneTimeProvider.CentralEurope, out _));
    }

    [Theory]
    [InlineData("yyyy-DDD", "DDD")]
    [InlineData("kk:mm", "kk")]
    [InlineData("HH:mm z", "z")]
    [InlineData("HH:mm ZZZ", "ZZZ")]
    [InlineData("xxxx-ww", "xxxx")]
    [InlineData("HH:mm:ss.SSSSSSSS", "SSSSSSSS")]
    [InlineData("yyyy 'unclosed", "quote")]
    [InlineData("", "empty")]
    public void Translate_UnsupportedPattern_ExplainsWhich(string pattern, string mentioned)
    {
        Assert.Null(JodaDatePattern.Translate(pattern, out var error));
        Assert.Contains(mentioned, error);
    }
}
