namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>The <c>Status</c> enum every append returns; the values are the Avro symbol indexes.</summary>
public enum AvroStatus
{
    Ok = 0,
    Failed = 1,
    Unknown = 2,
}
