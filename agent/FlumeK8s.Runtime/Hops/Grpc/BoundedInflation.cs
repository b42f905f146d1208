using Grpc.Core;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>A decompressing stream that refuses to produce more than a message may hold, and turns corrupt input into INVALID_ARGUMENT.</summary>
internal sealed class BoundedInflation(Stream inflating, int maxMessageBytes, GrpcMessageLease? lease) : Stream
{
    private long _produced;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inflating.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the message is not valid gzip: {e.Message}"));
        }
        _produced += read;
        if (_produced > maxMessageBytes)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message larger than max (more than {maxMessageBytes} bytes once decompressed)"));
        }
        lease?.Take(read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inflating.Dispose();
        }
        base.Dispose(disposing);
    }
}
