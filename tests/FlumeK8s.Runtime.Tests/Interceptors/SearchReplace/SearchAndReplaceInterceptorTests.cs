using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Interceptors.SearchReplace;

public sealed class SearchAndReplaceInterceptorTests
{
    private static string Body(Event @event) => Encoding.UTF8.GetString(@event.Body);

    [Fact]
    public void Intercept_NoReplaceString_RemovesEveryMatch()
    {
        var interceptor = InterceptorHarness.Build("search_replace", "searchPattern=^INFO:\\s*");

        Assert.Equal("started", Body(interceptor.RunOne(Event.FromText("INFO: started"))));
    }

    [Fact]
    public void Intercept_JavaGroupReferences_AreSubstituted()
    {
        var interceptor = InterceptorHarness.Build("search_replace",
            "searchPattern=(\\w+)@(\\w+)\\.com", "replaceString=$2 user $1 costs \\$5");

        var @event = interceptor.RunOne(Event.FromText("mail bob@example.com and amy@corp.com"));

        Assert.Equal("mail example user bob costs $5 and corp user amy costs $5", Body(@event));
    }

    [Fact]
    public void Intercept_NoMatch_LeavesTheBodyBytesUntouched()
    {
        var interceptor = InterceptorHarness.Build("search_replace", "searchPattern=secret", "replaceString=***");
        var invalidUtf8 = new byte[] { 0x61, 0xFF, 0x62 };

        var @event = interceptor.RunOne(new Event(invalidUtf8));

        Assert.Same(invalidUtf8, @event.Body);
    }

    [Fact]
    public void Intercept_Charset_DecodesAndEncodesTheBodyWithIt()
    {
        var latin1 = Encoding.Latin1;
        var interceptor = InterceptorHarness.Build("search_replace", "searchPattern=é", "replaceString=e", "charset=ISO-8859-1");

        var @event = interceptor.RunOne(new Event(latin1.GetBytes("café crème")));

        Assert.Equal(latin1.GetBytes("cafe crème"), @event.Body);
    }

    [Fact]
    public void Plan_MissingSearchPattern_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("search_replace", "replaceString=x");

        Assert.Equal("a1.sources.r1.searchPattern", error.Key);
        Assert.Contains("required", error.Message);
    }

    [Fact]
    public void Plan_InvalidSearchPattern_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("search_replace", "searchPattern=(a");

        Assert.Equal("a1.sources.r1.searchPattern", error.Key);
    }

    [Fact]
    public void Plan_ReplacementNamingAMissingGroup_ReportsReplaceString()
    {
        var error = InterceptorHarness.SingleError("search_replace", "searchPattern=(a)", "replaceString=$2");

        Assert.Equal("a1.sources.r1.replaceString", error.Key);
        Assert.Contains("no group 2", error.Message);
    }

    [Fact]
    public void Plan_UnknownCharset_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("search_replace", "searchPattern=a", "charset=klingon-8");

        Assert.Equal("a1.sources.r1.charset", error.Key);
    }

    [Fact]
    public void Plan_WindowsCodePage_IsKnown()
    {
        var (_, problems) = InterceptorHarness.Plan("search_replace", "searchPattern=a", "charset=windows-1252");

        Assert.Empty(problems.Errors);
    }
}
