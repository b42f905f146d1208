using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Interceptors.RegexFilter;

public sealed class RegexFilteringInterceptorTests
{
    private static List<string> Bodies(List<Event> events) => [.. events.Select(e => Encoding.UTF8.GetString(e.Body))];

    private static Event[] Lines() =>
        [Event.FromText("INFO started"), Event.FromText("ERROR disk full"), Event.FromText("DEBUG tick"), Event.FromText("ERROR again")];

    [Fact]
    public void Intercept_Defaults_KeepsEverything()
    {
        var kept = InterceptorHarness.Build("regex_filter").Run([.. Lines(), new Event([])]);

        Assert.Equal(5, kept.Count);
    }

    [Fact]
    public void Intercept_Include_KeepsOnlyEventsContainingAMatch()
    {
        var kept = InterceptorHarness.Build("regex_filter", "regex=ERROR").Run(Lines());

        Assert.Equal(["ERROR disk full", "ERROR again"], Bodies(kept));
    }

    [Fact]
    public void Intercept_ExcludeEvents_DropsEventsContainingAMatch()
    {
        var kept = InterceptorHarness.Build("regex_filter", "regex=^(DEBUG|INFO)\\b", "excludeEvents=true").Run(Lines());

        Assert.Equal(["ERROR disk full", "ERROR again"], Bodies(kept));
    }

    [Fact]
    public void Intercept_NonAsciiBody_IsMatchedAsUtf8Text()
    {
        var kept = InterceptorHarness.Build("regex_filter", "regex=^größe \\d+$").Run(Event.FromText("größe 12"), Event.FromText("size 12"));

        Assert.Equal(["größe 12"], Bodies(kept));
    }

    [Fact]
    public void Intercept_KeptEvents_AreTheSameObjectsInOrder()
    {
        var events = Lines();

        var kept = InterceptorHarness.Build("regex_filter", "regex=ERROR").Run(events);

        Assert.Same(events[1], kept[0]);
        Assert.Same(events[3], kept[1]);
    }

    [Fact]
    public void Plan_InvalidRegex_ReportsTheKeyAndLine()
    {
        var error = InterceptorHarness.SingleError("regex_filter", "excludeEvents=true", "regex=[unclosed");

        Assert.Equal("a1.sources.r1.regex", error.Key);
        Assert.Equal(2, error.Line);
    }
}
