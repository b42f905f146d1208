using System.Reflection;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// The image of this release, which tier pods run when neither the tier nor <c>--image</c> names one.
/// Its tag is the operator's own version (the Dockerfile's VERSION, see Directory.Build.props), so an
/// operator run from a checkout renders exactly what the in-cluster operator of the same release does,
/// and moving the operator into the cluster changes no pod template.
/// </summary>
public static class ReleaseImage
{
    public const string Repository = "ghcr.io/flumek8s/flumek8s";

    public static string Version { get; } = ReadVersion();

    public static string Name { get; } = $"{Repository}:{Version}";

    // The informational version carries the source revision after a '+' (not allowed in an image tag).
    private static string ReadVersion()
    {
        var informational = typeof(ReleaseImage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("the operator assembly carries no version");
        var metadata = informational.IndexOf('+', StringComparison.Ordinal);
        return metadata < 0 ? informational : informational[..metadata];
    }
}
