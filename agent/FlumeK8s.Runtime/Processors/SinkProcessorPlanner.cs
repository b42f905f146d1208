using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Processors;

/// <summary>Reads a sink group's <c>processor.*</c> properties into a factory for its processor.</summary>
public static class SinkProcessorPlanner
{
    public static Func<IReadOnlyList<ISink>, AgentServices, ISinkProcessor> Plan(ComponentContext context, IReadOnlyList<string> sinkNames)
    {
        var type = context.GetChoice("type", "default", "default", "failover", "load_balance");
        switch (type)
        {
            case "failover":
                {
                    var priorities = sinkNames.ToDictionary(n => n, n => context.GetInt("priority." + n, 0));
                    var maxPenalty = TimeSpan.FromMilliseconds(context.GetLong("maxpenalty", 30000, min: 0));
                    foreach (var key in context.GetPrefixed("priority.").Keys.Where(k => !sinkNames.Contains(k)))
                    {
                        context.Error("priority." + key, $"sink '{key}' is not in this group");
                    }
                    return (sinks, services) => new FailoverSinkProcessor(sinks, priorities, maxPenalty, services.Time);
                }
            case "load_balance":
                {
                    if (sinkNames.Count < 2)
                    {
                        context.Error("type", "a load_balance group needs at least two sinks");
                    }
                    var backoff = context.GetBool("backoff", false);
                    var selector = context.GetChoice("selector", "round_robin", "round_robin", "random");
                    var maxTimeOut = TimeSpan.FromMilliseconds(context.GetLong("selector.maxTimeOut", 30000, min: 0));
                    return (sinks, services) =>
                    {
                        var sinkBackoff = new SinkBackoff(backoff, maxTimeOut, services.Time);
                        ISinkSelector order = selector == "random"
                            ? new RandomSinkSelector(sinks, sinkBackoff, services.RandomFactory())
                            : new RoundRobinSinkSelector(sinks, sinkBackoff);
                        return new LoadBalancingSinkProcessor(sinks, order);
                    };
                }
            default:
                if (sinkNames.Count != 1)
                {
                    context.Error("type", $"the default processor takes exactly one sink, not {sinkNames.Count}; use failover or load_balance");
                }
                return (sinks, _) => new DefaultSinkProcessor(sinks[0]);
        }
    }
}
