using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.Http;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

public sealed class JsonEventReaderTests
{
    [Fact]
    public void Read_EscapedBody_IsUnescaped()
    {
        var events = Read("""[{"body":"tab\there \"quoted\" \u00e9"}]"""u8, bodyEncoding: null);

        Assert.Equal("tab\there \"quoted\" é", Encoding.UTF8.GetString(events[0].Body));
    }

    [Fact]
    public void Read_NumbersBooleansAndNull_TakenAsTextLikeGson()
    {
        var events = Read("""[{"body":12.5,"headers":{"ok":true}},{"body":null},{"headers":null}]"""u8, bodyEncoding: null);

        Assert.Equal("12.5", Encoding.UTF8.GetString(events[0].Body));
        Assert.Equal("true", events[0].GetHeader("ok"));
        Assert.Empty(events[1].Body);
        Assert.Empty(events[2].Body);
    }

    [Fact]
    public void Read_UnknownFields_AreIgnored()
    {
        var events = Read("""[{"extra":{"deep":[1,2]},"body":"b"}]"""u8, bodyEncoding: null);

        Assert.Equal("b", Encoding.UTF8.GetString(events[0].Body));
    }

    [Fact]
    public void Read_EmptyArray_NoEvents()
    {
        Assert.Empty(Read("[]"u8, bodyEncoding: null));
    }

    [Theory]
    [InlineData("""{"body":"x"}""", "must be a JSON array")]
    [InlineData("", "not valid JSON")]
    [InlineData("""[{"body":"x"}] trailing""", "not valid JSON")]
    [InlineData("""["just a string"]""", "event 0: expected an object")]
    [InlineData("""[{"headers":{"k":["v"]}}]""", "event 0: header \"k\" must be a string")]
    [InlineData("""[{"body":"a"},{"headers":"h"}]""", "event 1: \"headers\" must be an object")]
    public void Read_Malformed_ThrowsBadRequestSayingWhat(string json, string expected)
    {
        var error = Assert.Throws<HttpSourceRequestException>(() => Read(Encoding.UTF8.GetBytes(json), bodyEncoding: null));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_BodyEncodingGiven_BodyStoredInThatEncoding()
    {
        var events = Read("""[{"body":"hé"}]"""u8, Encoding.Unicode);

        Assert.Equal(Encoding.Unicode.GetBytes("hé"), events[0].Body);
    }

    private const string Sample =
        """[{"headers":{"host":"web1","n":7,"ok":false},"body":"tab\there \"q\" \u00e9"},""" +
        """{"extra":{"deep":[1,{"x":[]}],"s":"ignored"},"body":12.5},{"body":null},{"headers":null},{}]""";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task ReadAsync_BodyArrivingInPieces_SameEventsAsWhole(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        var whole = Read(bytes, bodyEncoding: null);

        // Known length; unknown; unknown but limited to exactly what comes.
        foreach (var (length, limit) in new (long?, long?)[] { (bytes.Length, null), (null, null), (null, bytes.Length) })
        {
            var pieces = await JsonEventReader.ReadAsync(new TrickleStream(bytes, chunk), bodyEncoding: null, length, limit, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(whole.Select(e => e.Body), pieces.Select(e => e.Body));
            Assert.Equal(whole.Select(e => e.HeadersOrEmpty), pieces.Select(e => e.HeadersOrEmpty));
        }
        Assert.Equal(5, whole.Count);
    }

    [Theory]
    [InlineData("""{"body":"x"}""", "must be a JSON array")]
    [InlineData("""[{"body":"x"}] trailing""", "not valid JSON")]
    [InlineData("""[{"body":"x"},""", "not valid JSON")]
    [InlineData("""[{"body":"a"},{"body":[1]}]""", "event 1: \"body\" must be a string")]
    public async Task ReadAsync_MalformedArrivingByteByByte_SameErrorAsWhole(string json, string expected)
    {
        var error = await Assert.ThrowsAsync<HttpSourceRequestException>(() =>
            JsonEventReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(json), 1), bodyEncoding: null, length: null, limit: null, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task ReadAsync_HugeBodyArrivingByteByByte_LinearTime()
    {
        // One 2 MiB string, one byte per read: parsing the unfinished token again on every read
        // would look at ~2 * 10^12 bytes; retrying only once the waiting bytes doubled is linear.
        var body = new string('x', 2 << 20);
        var bytes = Encoding.UTF8.GetBytes($$"""[{"body":"{{body}}"}]""");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var events = await JsonEventReader.ReadAsync(new TrickleStream(bytes, 1), bodyEncoding: null, length: null, limit: null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(body.Length, Assert.Single(events).Body.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_Skipped()
    {
        var events = Read([0xEF, 0xBB, 0xBF, .. """[{"body":"b"}]"""u8], bodyEncoding: null);

        Assert.Equal("b", Encoding.UTF8.GetString(Assert.Single(events).Body));
    }

    /// <summary>A whole body held in memory, parsed in one go.</summary>
    private static List<Event> Read(ReadOnlySpan<byte> json, Encoding? bodyEncoding)
    {
        var parser = new JsonEventParser(bodyEncoding);
        parser.Parse(json, isFinalBlock: true);
        return parser.Events;
    }
}
