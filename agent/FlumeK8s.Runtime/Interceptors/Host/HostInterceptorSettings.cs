using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Interceptors.Host;

/// <summary>The host interceptor's properties, with Flume's names and defaults.</summary>
internal sealed record HostInterceptorSettings(string HostHeader, bool UseIp, bool PreserveExisting)
{
    public static HostInterceptorSettings Read(ComponentContext context) => new(
        context.GetString("hostHeader", "host"),
        context.GetBool("useIP", true),
        context.GetBool("preserveExisting", false));
}
