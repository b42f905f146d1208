using System.IO.Compression;
using Grpc.Net.Compression;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// gzip for the grpc sink at the zlib level its compression-level names. grpc-dotnet's client always
/// asks its provider for CompressionLevel.Fastest, which leaves no choice; this provider takes the
/// level from the settings instead. Any level is plain gzip on the wire, so every gRPC peer reads it.
/// </summary>
internal sealed class LeveledGzipProvider(int level) : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);

    // Only an Ack could come back compressed, and a receiver compresses none: this is grpc-dotnet's own.
    public Stream CreateDecompressionStream(Stream stream) => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
}
