using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.Timestamp;

/// <summary>The timestamp interceptor's properties, with Flume's names and defaults.</summary>
internal sealed record TimestampInterceptorSettings(string HeaderName, bool PreserveExisting)
{
    public static TimestampInterceptorSettings Read(ComponentContext context) => new(
        context.GetString("headerName", "timestamp"),
        context.GetBool("preserveExisting", false));
}
