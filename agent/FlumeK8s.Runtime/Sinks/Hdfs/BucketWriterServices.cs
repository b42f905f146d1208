using System.Buffers;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// What every bucket writer of one sink shares. Writers run only under the sink's gate, one at a
/// time, so one batch buffer and one gzip compressor serve them all.
/// </summary>
internal sealed record BucketWriterServices(
    string Sink,
    HdfsSinkSettings Settings,
    IHdfsFileSystem FileSystem,
    FileNaming Naming,
    RollPolicy Roll,
    BucketDirectories Directories,
    FileFinisher Finisher,
    SinkCounter Counter,
    TimeProvider Time,
    ILogger Logger)
{
    /// <summary>The encoded bytes of the group being written, appended to its file in one call.</summary>
    public ArrayBufferWriter<byte> Batch { get; } = new(64 * 1024);

    public GzipMembers? Gzip { get; } = Settings.Gzip ? new GzipMembers() : null;

    /// <summary>Called by a file's <c>hdfs.rollInterval</c> timer; the sink closes the file under its gate.</summary>
    public required Action<BucketWriter, BucketFile> RollDue { get; init; }
}
