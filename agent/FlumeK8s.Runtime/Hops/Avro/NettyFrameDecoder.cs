using System.Buffers;
using System.Diagnostics;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Decodes Avro's Netty framing incrementally: serial and buffer count, then per buffer its length
/// and bytes. Every byte is looked at once: a field is read only when all its bytes are there, and a
/// buffer's bytes are copied out as they arrive, so a frame sent a byte at a time costs what it
/// costs in one write. Declared counts and lengths are checked the moment they arrive, and the
/// payload grows with the bytes received, never with what a header claims is coming.
/// </summary>
internal sealed class NettyFrameDecoder(int maxFrameBytes)
{
    private const int FrameHeaderBytes = 8;
    private const int LengthBytes = 4;
    private const int MinPayloadCapacity = 4096;

    private bool _inFrame;
    private int _serial;
    private int _buffersLeft;
    private int _bytesLeftInBuffer = -1;
    private long _declared;
    private byte[] _payload = [];
    private int _written;

    /// <summary>Bytes of the unfinished frame taken so far, framing included.</summary>
    public long Received { get; private set; }

    /// <summary>
    /// Takes bytes off the front of <paramref name="input"/> until a frame is complete (true) or
    /// the input is used up (false; what is left is the start of a field still incomplete, at most
    /// a few bytes).
    /// </summary>
    /// <exception cref="AvroFormatException">A declared count or length is out of range.</exception>
    public bool TryDecode(ref ReadOnlySequence<byte> input, out NettyFrame frame)
    {
        frame = default;
        if (!_inFrame && !TryStartFrame(ref input))
        {
            return false;
        }
        while (_buffersLeft > 0 || _bytesLeftInBuffer > 0)
        {
            if (_bytesLeftInBuffer < 0 && !TryStartBuffer(ref input))
            {
                return false;
            }
            if (!CopyBufferBytes(ref input))
            {
                return false;
            }
        }
        Debug.Assert(_written == _payload.Length, "the payload grows to at most what was declared, and all of that arrived");
        frame = new NettyFrame(_serial, _payload);
        Reset();
        return true;
    }

    private bool TryStartFrame(ref ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        if (!reader.TryReadBigEndian(out int serial) || !reader.TryReadBigEndian(out int count))
        {
            return false;
        }
        // Every buffer costs at least its 4-byte length, which bounds the count a frame may declare.
        if (count < 0)
        {
            throw new AvroFormatException($"Frame {serial} declares {count} buffers");
        }
        if (count > maxFrameBytes / LengthBytes)
        {
            throw new NettyFrameTooLargeException(serial, $"Frame {serial} declares {count} buffers (at most {maxFrameBytes / LengthBytes} allowed)");
        }
        input = input.Slice(FrameHeaderBytes);
        _inFrame = true;
        _serial = serial;
        _buffersLeft = count;
        Received = FrameHeaderBytes;
        return true;
    }

    private bool TryStartBuffer(ref ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        if (!reader.TryReadBigEndian(out int length))
        {
            return false;
        }
        if (length < 0)
        {
            throw new AvroFormatException($"Frame {_serial} declares a buffer of {length} bytes");
        }
        if (_declared + length > maxFrameBytes)
        {
            throw new NettyFrameTooLargeException(_serial, $"Frame {_serial} declares at least {_declared + length} bytes, over the {maxFrameBytes}-byte frame limit");
        }
        input = input.Slice(LengthBytes);
        Received += LengthBytes;
        _declared += length;
        _buffersLeft--;
        _bytesLeftInBuffer = length;
        return true;
    }

    /// <returns>True when the current buffer is complete.</returns>
    private bool CopyBufferBytes(ref ReadOnlySequence<byte> input)
    {
        var take = (int)Math.Min(_bytesLeftInBuffer, input.Length);
        if (take > 0)
        {
            EnsureRoom(take);
            input.Slice(0, take).CopyTo(_payload.AsSpan(_written));
            input = input.Slice(take);
            _written += take;
            _bytesLeftInBuffer -= take;
            Received += take;
        }
        if (_bytesLeftInBuffer > 0)
        {
            return false;
        }
        _bytesLeftInBuffer = -1;
        return true;
    }

    // Doubling keeps the copying linear; never past what the frame has declared so far, so once
    // every byte is in, the array is exactly the payload.
    private void EnsureRoom(int more)
    {
        var needed = _written + more;
        if (needed <= _payload.Length)
        {
            return;
        }
        var capacity = (int)Math.Min(_declared, Math.Max(needed, Math.Max(MinPayloadCapacity, _payload.Length * 2L)));
        var larger = GC.AllocateUninitializedArray<byte>(capacity);
        _payload.AsSpan(0, _written).CopyTo(larger);
        _payload = larger;
    }

    private void Reset()
    {
        _inFrame = false;
        _buffersLeft = 0;
        _bytesLeftInBuffer = -1;
        _declared = 0;
        _payload = [];
        _written = 0;
        Received = 0;
    }
}
