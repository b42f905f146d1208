using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>The BLOB handler's <c>handler.*</c> properties, with Flume's names and defaults.</summary>
public sealed record BlobHandlerSettings(int MaxBlobLength)
{
    public const int DefaultMaxBlobLength = 100_000_000;

    /// <param name="handler">The source's properties under <c>handler.</c>.</param>
    public static BlobHandlerSettings Read(ComponentContext handler) =>
        new(handler.GetInt("maxBlobLength", DefaultMaxBlobLength, min: 1, max: Array.MaxLength));
}
