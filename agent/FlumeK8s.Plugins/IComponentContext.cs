using Microsoft.Extensions.Logging;

namespace FlumeK8s.Plugins;

/// <summary>What a component is built with besides its settings: names, the agent's clock (tests replace it) and its logging.</summary>
public interface IComponentContext
{
    /// <summary>The component's name (<c>k1</c>).</summary>
    string Name { get; }

    string AgentName { get; }

    TimeProvider Time { get; }

    ILoggerFactory Logs { get; }

    /// <summary>A new event the agent can carry (sources and channels make theirs here).</summary>
    IEvent CreateEvent(byte[] body, IReadOnlyDictionary<string, string>? headers = null);
}
