namespace FlumeK8s.Runtime.Channels;

/// <summary>A channel that can take new settings in place on reload, keeping its events.</summary>
public interface IReconfigurableChannel
{
    /// <summary>Applies <paramref name="settings"/>; false if they are not the channel's kind.</summary>
    bool TryReconfigure(IChannelSettings settings);
}
