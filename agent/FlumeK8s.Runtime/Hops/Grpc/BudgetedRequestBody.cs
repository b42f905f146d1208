using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// A call's request body that charges its <see cref="GrpcMessageLease"/> for every byte as it
/// arrives: grpc-dotnet keeps a message's bytes buffered until the whole message is there, so this
/// is where a source sees how much a call holds. A message whose announced length no longer fits
/// the budget is refused as soon as its 5-byte gRPC header arrives (a length over maxMessageBytes
/// is left to grpc-dotnet, which refuses it with gRPC's wording); one whose bytes would pass it,
/// when they arrive.
/// </summary>
internal sealed class BudgetedRequestBody(PipeReader inner, GrpcMessageLease lease, int maxMessageBytes) : PipeReader
{
    private const int HeaderLength = 5;

    private ReadOnlySequence<byte> _last;
    private long _consumed;
    private long _charged;
    private bool _admitted;
    private bool _oversized;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        Charge(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }
        Charge(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        _consumed += _last.Slice(0, consumed).Length;
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _consumed += _last.Slice(0, consumed).Length;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private void Charge(ReadOnlySequence<byte> buffer)
    {
        _last = buffer;
        try
        {
            if (!_admitted && _consumed == 0 && buffer.Length >= HeaderLength)
            {
                _admitted = true;
                Span<byte> header = stackalloc byte[HeaderLength];
                buffer.Slice(0, HeaderLength).CopyTo(header);
                var announced = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
                _oversized = announced > (uint)maxMessageBytes;
                if (!_oversized)
                {
                    lease.Admit(announced);
                }
            }
            if (_oversized)
            {
                return; // grpc-dotnet refuses it on this very read, before it buffers more
            }
            var arrived = _consumed + buffer.Length;
            if (arrived > _charged)
            {
                lease.Take(arrived - _charged);
                _charged = arrived;
            }
        }
        catch
        {
            // Refused: nothing more is read, but the reader must not be left mid-read.
            inner.AdvanceTo(buffer.Start, buffer.End);
            throw;
        }
    }
}
