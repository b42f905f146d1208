namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>Which file system <c>hdfs.path</c> names.</summary>
public enum HdfsScheme
{
    /// <summary>A plain path or <c>file://</c>: a local or mounted file system.</summary>
    Local,

    /// <summary><c>webhdfs://</c> or <c>hdfs://</c>: the NameNode's WebHDFS REST API over HTTP.</summary>
    WebHdfs,

    /// <summary><c>swebhdfs://</c>: WebHDFS over HTTPS.</summary>
    SecureWebHdfs,
}
