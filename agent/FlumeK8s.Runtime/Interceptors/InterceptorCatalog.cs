using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Interceptors.Host;
using FlumeK8s.Runtime.Interceptors.RegexExtractor;
using FlumeK8s.Runtime.Interceptors.RegexFilter;
using FlumeK8s.Runtime.Interceptors.RemoveHeader;
using FlumeK8s.Runtime.Interceptors.SearchReplace;
using FlumeK8s.Runtime.Interceptors.Static;
using FlumeK8s.Runtime.Interceptors.Timestamp;
using FlumeK8s.Runtime.Interceptors.Uuid;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Interceptors;

/// <summary>The interceptor types the configuration can name.</summary>
public static class InterceptorCatalog
{
    private const string Flume = "org.apache.flume.interceptor.";

    public static IReadOnlyList<ComponentType<InterceptorPlan>> All { get; } =
    [
        new("timestamp", context =>
        {
            var settings = TimestampInterceptorSettings.Read(context);
            return new InterceptorPlan(services => new TimestampInterceptor(settings, services.Time));
        }, Flume + "TimestampInterceptor$Builder"),
        new("host", context =>
        {
            var settings = HostInterceptorSettings.Read(context);
            return new InterceptorPlan(services =>
                new HostInterceptor(settings, LocalHost.Resolve(settings.UseIp, services.Logs.CreateLogger<HostInterceptor>())));
        }, Flume + "HostInterceptor$Builder"),
        new("static", context =>
        {
            var settings = StaticInterceptorSettings.Read(context);
            return new InterceptorPlan(_ => new StaticInterceptor(settings));
        }, Flume + "StaticInterceptor$Builder"),
        new("remove_header", context =>
        {
            var settings = RemoveHeaderInterceptorSettings.Read(context);
            return new InterceptorPlan(_ => new RemoveHeaderInterceptor(settings));
        }, Flume + "RemoveHeaderInterceptor$Builder"),
        new("uuid", context =>
        {
            var settings = UuidInterceptorSettings.Read(context);
            return new InterceptorPlan(_ => new UuidInterceptor(settings));
        }, "org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder"),
        new("search_replace", context =>
        {
            var settings = SearchAndReplaceInterceptorSettings.Read(context);
            return new InterceptorPlan(_ => new SearchAndReplaceInterceptor(settings));
        }, Flume + "SearchAndReplaceInterceptor$Builder"),
        new("regex_filter", context =>
        {
            var settings = RegexFilteringInterceptorSettings.Read(context);
            return new InterceptorPlan(_ => new RegexFilteringInterceptor(settings));
        }, Flume + "RegexFilteringInterceptor$Builder"),
        new("regex_extractor", context =>
        {
            var settings = RegexExtractorInterceptorSettings.Read(context);
            return new InterceptorPlan(services =>
                new RegexExtractorInterceptor(settings, services.Time.LocalTimeZone, services.Logs.CreateLogger<RegexExtractorInterceptor>()));
        }, Flume + "RegexExtractorInterceptor$Builder"),
    ];
}
