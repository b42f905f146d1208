using System.Net;

namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>A WebHDFS call that failed; carries the NameNode's or DataNode's RemoteException when it sent one.</summary>
public sealed class WebHdfsException(string operation, string path, HttpStatusCode? status, string? remoteException, string message, Exception? inner = null)
    : IOException(Describe(operation, path, status, remoteException, message), inner)
{
    public string Operation { get; } = operation;

    public HttpStatusCode? Status { get; } = status;

    /// <summary>The Java exception's simple name, e.g. <c>FileAlreadyExistsException</c>.</summary>
    public string? RemoteException { get; } = remoteException;

    private static string Describe(string operation, string path, HttpStatusCode? status, string? remote, string message) =>
        $"WebHDFS {operation} {path} failed: {(status is { } s ? $"{(int)s} " : "")}{(remote is null ? "" : remote + ": ")}{message}";
}
