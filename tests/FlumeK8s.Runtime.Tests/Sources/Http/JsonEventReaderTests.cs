using System.Text;
using FlumeK8s.Runtime.Sources.Http;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

public sealed class JsonEventReaderTests
{
    [Fact]
    public void Read_EscapedBody_IsUnescaped()
    {
        var events = JsonEventReader.Read("""[{"body":"tab\there \"quoted\" \u00e9"}]"""u8, bodyEncoding: null);

        Assert.Equal("tab\there \"quoted\" é", Encoding.UTF8.GetString(events[0].Body));
    }

    [Fact]
    public void Read_NumbersBooleansAndNull_TakenAsTextLikeGson()
    {
        var events = JsonEventReader.Read("""[{"body":12.5,"headers":{"ok":true}},{"body":null},{"headers":null}]"""u8, bodyEncoding: null);

        Assert.Equal("12.5", Encoding.UTF8.GetString(events[0].Body));
        Assert.Equal("true", events[0].GetHeader("ok"));
        Assert.Empty(events[1].Body);
        Assert.Empty(events[2].Body);
    }

    [Fact]
    public void Read_UnknownFields_AreIgnored()
    {
        var events = JsonEventReader.Read("""[{"extra":{"deep":[1,2]},"body":"b"}]"""u8, bodyEncoding: null);

        Assert.Equal("b", Encoding.UTF8.GetString(events[0].Body));
    }

    [Fact]
    public void Read_EmptyArray_NoEvents()
    {
        Assert.Empty(JsonEventReader.Read("[]"u8, bodyEncoding: null));
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
        var error = Assert.Throws<HttpSourceRequestException>(() => JsonEventReader.Read(Encoding.UTF8.GetBytes(json), bodyEncoding: null));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_BodyEncodingGiven_BodyStoredInThatEncoding()
    {
        var events = JsonEventReader.Read("""[{"body":"hé"}]"""u8, Encoding.Unicode);

        Assert.Equal(Encoding.Unicode.GetBytes("hé"), events[0].Body);
    }
}
