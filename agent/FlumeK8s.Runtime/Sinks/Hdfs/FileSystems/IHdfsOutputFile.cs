namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>A file being written by appends.</summary>
internal interface IHdfsOutputFile : IDisposable
{
    string Path { get; }

    /// <summary>
    /// Appends <paramref name="data"/> and returns only once it is durable (local: written and
    /// fdatasync'ed, or only written with <c>hdfs.fsyncPerBatch = false</c>; WebHDFS: the APPEND
    /// completed, i.e. the DataNodes acknowledged it, which is at least an hflush). On failure the file may hold any prefix of <paramref name="data"/>.
    /// </summary>
    Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
