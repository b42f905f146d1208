namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>The block codec of an <c>avro_event</c> container file (<c>serializer.compressionCodec</c>).</summary>
public enum AvroCodec
{
    Null,
    Deflate,
}
