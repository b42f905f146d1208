using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.Components;

/// <summary>A validated interceptor and how to build it.</summary>
public sealed record InterceptorPlan(Func<AgentServices, IInterceptor> Create);
