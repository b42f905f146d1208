namespace FlumeK8s.Runtime.Sinks;

/// <summary>No sink could deliver; the events are still in their channel.</summary>
public sealed class SinkDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
