namespace FlumeK8s.Kube;

/// <summary>The watch's resourceVersion is too old (410 Gone): list again, then watch from the list's version.</summary>
public sealed class WatchExpiredException(string resourceVersion)
    : Exception($"watch from resourceVersion {resourceVersion} expired (410 Gone); a fresh list is needed");
