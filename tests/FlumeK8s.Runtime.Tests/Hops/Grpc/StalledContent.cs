using System.Net;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>Sends the start of a body, then nothing until cancelled: a client stuck mid-request.</summary>
internal sealed class StalledContent(byte[] start, CancellationToken stalled) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(start, stalled);
        await stream.FlushAsync(stalled);
        await Task.Delay(Timeout.Infinite, stalled);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
