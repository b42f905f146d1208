using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Interceptors;

/// <summary>The interceptor types the configuration can name.</summary>
public static class InterceptorCatalog
{
    public static IReadOnlyList<ComponentType<InterceptorPlan>> All { get; } =
    [
    ];
}
