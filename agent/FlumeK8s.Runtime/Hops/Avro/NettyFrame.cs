namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>One message of Avro's Netty transport: the call's serial and its bytes (all buffers joined).</summary>
internal readonly record struct NettyFrame(int Serial, byte[] Payload);
