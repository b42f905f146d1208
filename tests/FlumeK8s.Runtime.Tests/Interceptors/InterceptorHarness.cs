using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Interceptors;

/// <summary>Plans and builds interceptors through the catalog, as the topology does.</summary>
internal static class InterceptorHarness
{
    public static ComponentType<InterceptorPlan> Type(string alias) =>
        InterceptorCatalog.All.Single(t => t.Alias == alias);

    /// <summary>Plans <paramref name="alias"/> from "key=value" properties; the problems say what the configuration got wrong.</summary>
    public static (InterceptorPlan Plan, ConfigProblems Problems) Plan(string alias, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(properties);
        return (Type(alias).Configure(context), problems);
    }

    /// <summary>Builds a valid interceptor; fails the test if the configuration has errors.</summary>
    public static IInterceptor Build(string alias, AgentServices services, params string[] properties)
    {
        var (plan, problems) = Plan(alias, properties);
        Assert.Empty(problems.Errors);
        return plan.Create(services);
    }

    public static IInterceptor Build(string alias, params string[] properties) =>
        Build(alias, AgentServices.ForTests(), properties);

    /// <summary>The single error of a configuration that should have exactly one.</summary>
    public static ConfigProblem SingleError(string alias, params string[] properties)
    {
        var (_, problems) = Plan(alias, properties);
        return Assert.Single(problems.Errors);
    }

    public static List<Event> Run(this IInterceptor interceptor, params Event[] events)
    {
        var batch = events.ToList();
        interceptor.Intercept(batch);
        return batch;
    }

    public static Event RunOne(this IInterceptor interceptor, Event @event) => Assert.Single(interceptor.Run(@event));

    public static Dictionary<string, string> Headers(params (string Key, string Value)[] headers) =>
        headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
}
