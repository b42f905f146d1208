namespace FlumeK8s.Runtime.Topology;

/// <summary>
/// How far a drain has come, as <c>GET /drain</c> reports it. <paramref name="Empty"/> is the one
/// answer a scale-down waits for: true only while the sources are held stopped for a drain (not
/// during shutdown) and every channel holds nothing, neither queued nor taken by a batch still
/// waiting for the next tier's acknowledgement. So it is false whenever the agent is not draining,
/// even with empty channels: events may arrive the next moment.
/// </summary>
/// <param name="Draining">A drain was asked for and not cancelled, or the agent is shutting down.</param>
/// <param name="Events">The events all channels hold (<see cref="Channels.IChannel.EventsHeld"/>).</param>
/// <param name="Channels">Each running channel's <see cref="Channels.IChannel.EventsHeld"/>, by name.</param>
public sealed record DrainStatus(bool Draining, bool Empty, long Events, IReadOnlyDictionary<string, long> Channels);
