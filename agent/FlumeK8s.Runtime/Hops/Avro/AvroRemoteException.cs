namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>The avro server answered a call with an error instead of a status.</summary>
public sealed class AvroRemoteException(string message) : Exception(message);
