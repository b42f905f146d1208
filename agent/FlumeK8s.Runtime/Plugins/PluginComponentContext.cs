using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>What a plugin component is built with: its name, the agent's services and, for sources, channels and sinks, its counters.</summary>
internal sealed class PluginComponentContext(string name, string agentName, TimeProvider time, ILoggerFactory logs, ComponentCounter? counter)
    : ICountingComponentContext, IComponentCounters
{
    public string Name => name;

    public string AgentName => agentName;

    public TimeProvider Time => time;

    public ILoggerFactory Logs => logs;

    public IComponentCounters Counters => this;

    public IEvent CreateEvent(byte[] body, IReadOnlyDictionary<string, string>? headers = null) => NewEvent(body, headers);

    public static Event NewEvent(byte[] body, IReadOnlyDictionary<string, string>? headers) =>
        new(body, headers is null || headers.Count == 0 ? null : new Dictionary<string, string>(headers, StringComparer.Ordinal));

    /// <summary>The agent's event for <paramref name="e"/>: itself when the agent made it (always, through the API), else a copy.</summary>
    public static Event ToEvent(IEvent e) =>
        e as Event ?? new Event(e.Body, e.Headers.Count == 0 ? null : new Dictionary<string, string>(e.Headers, StringComparer.Ordinal));

    public void Add(string name, long delta) => Counter.AddNamed(name, delta);

    public void Set(string name, long value) => Counter.SetNamed(name, value);

    public long Get(string name) => Counter.Get(name);

    private ComponentCounter Counter => counter ?? throw new InvalidOperationException($"Interceptor {name} has no counters");
}
