using System.Text;
using FlumeK8s.Runtime.Sources.Http;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

public sealed class JsonHandlerTests
{
    [Fact]
    public async Task GetEvents_Utf16Request_ParsedAndBodiesKeptInUtf16LikeFlume()
    {
        var request = Request("""[{"body":"hé"}]""", Encoding.Unicode, "application/json; charset=UTF-16");

        var events = await new JsonHandler().GetEventsAsync(request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Encoding.Unicode.GetBytes("hé"), events[0].Body);
    }

    [Fact]
    public async Task GetEvents_UnsupportedCharset_BadRequest()
    {
        var request = Request("""[{"body":"x"}]""", Encoding.Latin1, "application/json; charset=iso-8859-1");

        var error = await Assert.ThrowsAsync<HttpSourceRequestException>(() =>
            new JsonHandler().GetEventsAsync(request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("iso-8859-1", error.Message);
    }

    private static HttpRequest Request(string json, Encoding encoding, string contentType)
    {
        var context = new DefaultHttpContext();
        var bytes = encoding.GetBytes(json);
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }
}
