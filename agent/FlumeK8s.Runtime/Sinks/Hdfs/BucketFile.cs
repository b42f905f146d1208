using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>One in-use file of a bucket: where it goes when finished, and what has been written to it.</summary>
internal sealed class BucketFile(IHdfsOutputFile output, string inUsePath, string finalPath, IFileEncoder encoder)
{
    public IHdfsOutputFile Output { get; } = output;

    public string InUsePath { get; } = inUsePath;

    public string FinalPath { get; } = finalPath;

    public IFileEncoder Encoder { get; } = encoder;

    /// <summary>False until the encoder's file header has been written (it goes out with the first batch).</summary>
    public bool Started { get; set; }

    public long EventCount { get; set; }

    /// <summary>Body bytes written, which is what Flume compares with <c>hdfs.rollSize</c>.</summary>
    public long BodyBytes { get; set; }

    /// <summary>Bytes the file system has acknowledged: the file is whole batches up to here.</summary>
    public long DurableLength { get; set; }

    public ITimer? RollTimer { get; set; }
}
