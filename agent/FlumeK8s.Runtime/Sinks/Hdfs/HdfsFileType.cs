namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>Flume's <c>hdfs.fileType</c>.</summary>
public enum HdfsFileType
{
    /// <summary>Hadoop SequenceFile (version 6, uncompressed) of (event time, body) records; Flume's default.</summary>
    SequenceFile,

    /// <summary>The serializer's bytes as they are.</summary>
    DataStream,

    /// <summary>The serializer's bytes compressed with <c>hdfs.codeC</c>.</summary>
    CompressedStream,
}
