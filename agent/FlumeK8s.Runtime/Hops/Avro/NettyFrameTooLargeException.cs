namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// A frame declares more bytes (or buffers) than the reader allows. Unlike other bad input it
/// may come from a well-behaved client sending a batch too large for this server, so it carries
/// the frame's serial: a server can answer that call with an error instead of only hanging up.
/// </summary>
internal sealed class NettyFrameTooLargeException(int serial, string message) : AvroFormatException(message)
{
    public int Serial { get; } = serial;
}
