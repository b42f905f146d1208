namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>Flume's <c>hdfs.writeFormat</c>: the value class of SequenceFile records (the key is always the event time as a LongWritable).</summary>
public enum SequenceFileWriteFormat
{
    /// <summary><c>Writable</c>: org.apache.hadoop.io.BytesWritable (4-byte length, then the body).</summary>
    Writable,

    /// <summary><c>Text</c>: org.apache.hadoop.io.Text (vint length, then the body), which Hive and Impala read.</summary>
    Text,
}
