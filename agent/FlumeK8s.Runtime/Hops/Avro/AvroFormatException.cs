namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>Bytes that are not what the Avro schema or the framing says they must be: the peer sent bad input.</summary>
public class AvroFormatException(string message) : Exception(message);
