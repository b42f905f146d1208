namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>Flume's <c>hdfs.fileType</c> (SequenceFile is refused at configuration).</summary>
public enum HdfsFileType
{
    /// <summary>The serializer's bytes as they are.</summary>
    DataStream,

    /// <summary>The serializer's bytes compressed with <c>hdfs.codeC</c>.</summary>
    CompressedStream,
}
