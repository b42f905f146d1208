namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>Flume's <c>serializer</c> for the hdfs sink.</summary>
public enum HdfsSerializerKind
{
    /// <summary><c>TEXT</c>: the body, then a newline.</summary>
    Text,

    /// <summary><c>HEADER_AND_TEXT</c>: <c>{k=v, k2=v2} </c>, the body, then a newline.</summary>
    HeaderAndText,

    /// <summary><c>AVRO_EVENT</c>: an Avro object container file of records {headers: map&lt;string&gt;, body: bytes}.</summary>
    AvroEvent,
}
