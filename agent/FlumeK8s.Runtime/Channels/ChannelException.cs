namespace FlumeK8s.Runtime.Channels;

/// <summary>A channel refused an operation; nothing of the failed transaction became visible.</summary>
public class ChannelException : Exception
{
    public ChannelException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
