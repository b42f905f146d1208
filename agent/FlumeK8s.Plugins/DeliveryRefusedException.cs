namespace FlumeK8s.Plugins;

/// <summary>A channel refused a source's batch, or a channel plugin refuses a transaction (full, unhealthy).</summary>
public sealed class DeliveryRefusedException(string message, Exception? inner = null) : Exception(message, inner);
