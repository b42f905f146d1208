using System.Buffers;

namespace FlumeK8s.Runtime.Avro;

/// <summary>
/// A write-only stream onto whichever <see cref="IBufferWriter{T}"/> is its <see cref="Target"/>
/// at the moment, so Apache.Avro's stream-based writers can write straight into the buffers the
/// agent hands from call to call. <see cref="Position"/> counts every byte written.
/// </summary>
internal sealed class BufferWriterStream : Stream
{
    private long _written;

    public IBufferWriter<byte>? Target { get; set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        CurrentTarget.Write(buffer);
        _written += buffer.Length;
    }

    public override void WriteByte(byte value)
    {
        var target = CurrentTarget;
        target.GetSpan(1)[0] = value;
        target.Advance(1);
        _written++;
    }

    public override void Flush()
    {
        // The target is memory the caller flushes on its own schedule.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private IBufferWriter<byte> CurrentTarget =>
        Target ?? throw new InvalidOperationException("No buffer to write to: set Target before writing");
}
