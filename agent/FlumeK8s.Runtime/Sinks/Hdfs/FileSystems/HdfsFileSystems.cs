namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>Picks the file system <c>hdfs.path</c>'s scheme names.</summary>
internal static class HdfsFileSystems
{
    public static IHdfsFileSystem Create(HdfsSinkSettings settings) => settings.Location.Scheme switch
    {
        HdfsScheme.Local => new LocalFileSystem(settings.FsyncPerBatch),
        _ => new WebHdfsFileSystem(settings.Location.NameNode!, settings.WebHdfsUser, settings.WebHdfsDelegationToken, settings.CallTimeout),
    };
}
