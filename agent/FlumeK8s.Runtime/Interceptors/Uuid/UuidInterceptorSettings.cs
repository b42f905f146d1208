using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.Uuid;

/// <summary>The UUID interceptor's properties, with Flume's names and defaults.</summary>
internal sealed record UuidInterceptorSettings(string HeaderName, bool PreserveExisting, string Prefix)
{
    public static UuidInterceptorSettings Read(ComponentContext context) => new(
        context.GetString("headerName", "id"),
        context.GetBool("preserveExisting", true),
        context.GetString("prefix", ""));
}
