using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.Static;

/// <summary>The static interceptor's properties, with Flume's names and defaults (including the literal "key" and "value").</summary>
internal sealed record StaticInterceptorSettings(string Key, string Value, bool PreserveExisting)
{
    public static StaticInterceptorSettings Read(ComponentContext context) => new(
        context.GetString("key", "key"),
        context.GetString("value", "value"),
        context.GetBool("preserveExisting", true));
}
