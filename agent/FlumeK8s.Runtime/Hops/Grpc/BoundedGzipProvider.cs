using System.IO.Compression;
using Grpc.Net.Compression;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// gzip for the grpc source, bounded: grpc-dotnet's own provider inflates a message whatever its
/// size, so a few kilobytes of gzip could make the source allocate gigabytes. This one stops at
/// maxMessageBytes (RESOURCE_EXHAUSTED, worded "larger than max" as gRPC words it) and charges the
/// call's in-flight budget as the output grows.
/// </summary>
internal sealed class BoundedGzipProvider(int maxMessageBytes) : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) =>
        new BoundedInflation(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true), maxMessageBytes, GrpcMessageLease.Current);
}
