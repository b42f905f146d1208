namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>A file on HDFS written by one WebHDFS APPEND per flush; nothing stays open between calls.</summary>
internal sealed class WebHdfsOutputFile(WebHdfsFileSystem fileSystem, string path) : IHdfsOutputFile
{
    public string Path { get; } = path;

    public Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        fileSystem.AppendAsync(Path, data, cancellationToken);

    public void Dispose()
    {
    }
}
