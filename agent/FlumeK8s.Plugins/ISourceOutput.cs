namespace FlumeK8s.Plugins;

/// <summary>Where a source sends its events: through the configured interceptors and selector into the channels.</summary>
public interface ISourceOutput
{
    IEvent CreateEvent(byte[] body, IReadOnlyDictionary<string, string>? headers = null);

    /// <summary>
    /// Returns once the events are committed to every required channel. Throws
    /// <see cref="DeliveryRefusedException"/> when a channel refused them (full, unhealthy): nothing of the
    /// batch was kept where channels allow it, so deliver it again later (the usual back-pressure).
    /// </summary>
    ValueTask DeliverAsync(IReadOnlyList<IEvent> events, CancellationToken cancellationToken);
}
