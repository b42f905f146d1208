using System.Net;

namespace FlumeK8s.Runtime.Tests.Support.Fuzz;

/// <summary>A request body sent as the given writes, each flushed on its own: a slow or fragmenting client.</summary>
internal sealed class TrickleContent(IReadOnlyList<ReadOnlyMemory<byte>> pieces) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        foreach (var piece in pieces)
        {
            await stream.WriteAsync(piece);
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
