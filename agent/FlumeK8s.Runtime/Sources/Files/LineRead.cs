namespace FlumeK8s.Runtime.Sources.Files;

/// <summary>
/// One line from a <see cref="FileLineReader"/>: its bytes without the line end (valid until the
/// next read), the file offset where it starts, and whether it was cut at the reader's maximum.
/// </summary>
internal readonly ref struct LineRead(ReadOnlySpan<byte> content, long offset, bool truncated)
{
    public ReadOnlySpan<byte> Content { get; } = content;

    public long Offset { get; } = offset;

    public bool Truncated { get; } = truncated;
}
