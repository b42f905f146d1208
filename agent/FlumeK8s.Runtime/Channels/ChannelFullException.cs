namespace FlumeK8s.Runtime.Channels;

/// <summary>The channel has no room: the producer should back off and retry.</summary>
public sealed class ChannelFullException : ChannelException
{
    public ChannelFullException(string message) : base(message)
    {
    }
}
