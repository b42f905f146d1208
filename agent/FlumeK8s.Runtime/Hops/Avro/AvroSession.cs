namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>What one connection to the avro source has established: the client's messages once its handshake succeeded.</summary>
internal sealed class AvroSession
{
    /// <summary>Null until a handshake ends in BOTH or CLIENT; from then on calls carry no handshake.</summary>
    public IReadOnlySet<string>? RemoteMessages { get; set; }
}
