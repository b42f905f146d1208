using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Interceptors.RegexExtractor;

public sealed class RegexExtractorInterceptorTests
{
    private static AgentServices InZone(TimeZoneInfo zone) =>
        new("a1", new FixedZoneTimeProvider(zone), () => new Random(42), NullLoggerFactory.Instance);

    [Fact]
    public void Intercept_PassThroughSerializers_StoreGroupIInSerializerI()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor",
            "regex=(\\d):(\\d):(\\d)", "serializers=s1 s2 s3",
            "serializers.s1.name=one", "serializers.s2.name=two", "serializers.s3.name=three");

        var @event = interceptor.RunOne(Event.FromText("prefix 1:2:3 suffix"));

        Assert.Equal(InterceptorHarness.Headers(("one", "1"), ("two", "2"), ("three", "3")), @event.Headers);
    }

    [Fact]
    public void Intercept_MillisSerializer_StoresEpochMillisInTheAgentZone()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor", InZone(FixedZoneTimeProvider.PlusTwo),
            "regex=^(\\d\\d\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d) (\\w+)", "serializers=ts level",
            "serializers.ts.type=org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer",
            "serializers.ts.name=timestamp", "serializers.ts.pattern=yyyy-MM-dd HH:mm",
            "serializers.level.name=level");

        var @event = interceptor.RunOne(Event.FromText("2024-03-05 07:08 WARN disk at 91%"));

        Assert.Equal("1709615280000", @event.GetHeader("timestamp"));
        Assert.Equal("WARN", @event.GetHeader("level"));
    }

    [Fact]
    public void Intercept_MillisAlias_IsTheMillisSerializer()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor", InZone(FixedZoneTimeProvider.Utc),
            "regex=(\\S+)", "serializers=t", "serializers.t.type=millis", "serializers.t.name=ts", "serializers.t.pattern=yyyy-MM-dd'T'HH:mm");

        var @event = interceptor.RunOne(Event.FromText("2024-03-05T07:08 x"));

        Assert.Equal("1709622480000", @event.GetHeader("ts"));
    }

    [Fact]
    public void Intercept_UnparseableDate_KeepsTheEventWithoutThatHeader()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor",
            "regex=(\\S+) (\\S+)", "serializers=t w",
            "serializers.t.type=millis", "serializers.t.name=ts", "serializers.t.pattern=yyyy-MM-dd",
            "serializers.w.name=word");

        var @event = interceptor.RunOne(Event.FromText("2024-13-45 hello"));

        Assert.Null(@event.GetHeader("ts"));
        Assert.Equal("hello", @event.GetHeader("word"));
    }

    [Fact]
    public void Intercept_NoMatch_LeavesTheEventUnchanged()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor", "regex=(\\d+)", "serializers=n", "serializers.n.name=number");

        var @event = interceptor.RunOne(Event.FromText("no digits"));

        Assert.False(@event.HasHeaders);
    }

    [Fact]
    public void Intercept_MoreGroupsThanSerializers_IgnoresTheExtraGroups()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor", "regex=(a)(b)(c)", "serializers=s", "serializers.s.name=first");

        var @event = interceptor.RunOne(Event.FromText("abc"));

        Assert.Equal(InterceptorHarness.Headers(("first", "a")), @event.Headers);
    }

    [Fact]
    public void Intercept_OptionalGroupNotMatched_SetsNoHeaderForIt()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor",
            "regex=(\\w+)(?: #(\\d+))?", "serializers=a b", "serializers.a.name=word", "serializers.b.name=number");

        var @event = interceptor.RunOne(Event.FromText("hello"));

        Assert.Equal(InterceptorHarness.Headers(("word", "hello")), @event.Headers);
    }

    [Fact]
    public void Intercept_NamedGroupFirst_FeedsSerializersInJavaOrder()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor",
            "regex=(?<key>\\w+)=(\\w+)", "serializers=k v", "serializers.k.name=key", "serializers.v.name=value");

        var @event = interceptor.RunOne(Event.FromText("color=blue"));

        Assert.Equal(InterceptorHarness.Headers(("key", "color"), ("value", "blue")), @event.Headers);
    }

    [Fact]
    public void Intercept_ExistingHeader_IsOverwritten()
    {
        var interceptor = InterceptorHarness.Build("regex_extractor", "regex=(\\w+)", "serializers=s", "serializers.s.name=word");

        var @event = interceptor.RunOne(Event.FromText("new", InterceptorHarness.Headers(("word", "old"))));

        Assert.Equal("new", @event.GetHeader("word"));
    }

    [Fact]
    public void Plan_InvalidRegex_ReportsTheKey()
    {
        var error = InterceptorHarness.SingleError("regex_extractor", "regex=(\\d", "serializers=s", "serializers.s.name=n");

        Assert.Equal("a1.sources.r1.regex", error.Key);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Plan_MissingRegexAndSerializers_ReportsBoth()
    {
        var (_, problems) = InterceptorHarness.Plan("regex_extractor");

        Assert.Equal(["a1.sources.r1.regex", "a1.sources.r1.serializers"], problems.Errors.Select(e => e.Key));
    }

    [Fact]
    public void Plan_SerializerWithoutName_ReportsItsNameKey()
    {
        var error = InterceptorHarness.SingleError("regex_extractor", "regex=(a)", "serializers=s1", "serializers.s1.type=DEFAULT");

        Assert.Equal("a1.sources.r1.serializers.s1.name", error.Key);
    }

    [Fact]
    public void Plan_UnknownSerializerType_ReportsItsTypeKey()
    {
        var error = InterceptorHarness.SingleError("regex_extractor",
            "regex=(a)", "serializers=s1", "serializers.s1.name=n", "serializers.s1.type=com.example.Custom");

        Assert.Equal("a1.sources.r1.serializers.s1.type", error.Key);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Plan_MillisWithoutPattern_ReportsThePatternKey()
    {
        var error = InterceptorHarness.SingleError("regex_extractor",
            "regex=(a)", "serializers=s1", "serializers.s1.name=n", "serializers.s1.type=millis");

        Assert.Equal("a1.sources.r1.serializers.s1.pattern", error.Key);
    }

    [Fact]
    public void Plan_MillisWithUnsupportedPattern_ReportsThePatternKey()
    {
        var error = InterceptorHarness.SingleError("regex_extractor",
            "regex=(a)", "serializers=s1", "serializers.s1.name=n", "serializers.s1.type=millis", "serializers.s1.pattern=yyyy-DDD");

        Assert.Equal("a1.sources.r1.serializers.s1.pattern", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("DDD", error.Message);
    }

    [Fact]
    public void Plan_MoreSerializersThanGroups_Warns()
    {
        var (_, problems) = InterceptorHarness.Plan("regex_extractor",
            "regex=(a)", "serializers=s1 s2", "serializers.s1.name=x", "serializers.s2.name=y");

        Assert.Empty(problems.Errors);
        Assert.Equal("a1.sources.r1.serializers", Assert.Single(problems.Warnings).Key);
    }
}
