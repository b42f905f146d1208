namespace FlumeK8s.Runtime.Topology;

/// <summary>
/// A valid configuration that cannot be applied yet without losing events (a channel it drops still
/// holds some); the running topology is untouched and the same configuration may be tried again.
/// </summary>
public sealed class ReloadRefusedException(string message) : Exception(message);
