using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Sources.Syslog;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

public sealed class SyslogFrameDecoderTests
{
    /// <summary>Feeds <paramref name="input"/> in pieces of <paramref name="chunk"/> bytes, as a socket would, then closes.</summary>
    private static List<(string Text, bool Truncated)> Decode(string input, int max = 100, int chunk = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var decoder = new SyslogFrameDecoder(max);
        var pending = new List<byte>();
        var frames = new List<(string, bool)>();
        var offset = 0;
        while (true)
        {
            var take = Math.Min(chunk, bytes.Length - offset);
            pending.AddRange(bytes.AsSpan(offset, take));
            offset += take;
            var completed = offset == bytes.Length;
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            while (decoder.TryRead(ref buffer, completed, out var frame))
            {
                frames.Add((Encoding.UTF8.GetString(frame.Bytes), frame.Truncated));
            }
            pending = [.. buffer.ToArray()];
            if (completed)
            {
                Assert.Empty(pending);
                return frames;
            }
        }
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    public void TryRead_NewlineDelimited_OneFramePerLineWhateverTheReadSizes(int chunk)
    {
        var frames = Decode("<13>one\r\n<13>two\n\n<13>three\n", chunk: chunk);

        Assert.Equal([("<13>one", false), ("<13>two", false), ("<13>three", false)], frames);
    }

    [Fact]
    public void TryRead_PartialLine_WaitsForTheRest()
    {
        var decoder = new SyslogFrameDecoder(100);
        var buffer = new ReadOnlySequence<byte>("<13>no newline yet"u8.ToArray());

        Assert.False(decoder.TryRead(ref buffer, isCompleted: false, out _));
        Assert.Equal(18, buffer.Length);
    }

    [Fact]
    public void TryRead_ConnectionEndsWithoutNewline_LastMessageStillDelivered()
    {
        Assert.Equal([("<13>a", false), ("<13>tail", false)], Decode("<13>a\n<13>tail"));
    }

    [Fact]
    public void TryRead_LineLongerThanEventSize_CutAndRestBecomesNextMessage()
    {
        Assert.Equal([("abcde", true), ("fgh", false)], Decode("abcdefgh\n", max: 5));
    }

    [Theory]
    [InlineData("abcde\n")]
    [InlineData("abcde\r\n")]
    public void TryRead_LineOfExactlyEventSize_NotCut(string input)
    {
        Assert.Equal([("abcde", false)], Decode(input, max: 5, chunk: 2));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    public void TryRead_OctetCounting_FramesByLengthIncludingNewlines(int chunk)
    {
        var frames = Decode("8 <1>a\nb\nc10 <2>x y z w\n", chunk: chunk);

        Assert.Equal([("<1>a\nb\nc", false), ("<2>x y z w", false)], frames);
    }

    [Fact]
    public void TryRead_OctetCountedMessageLongerThanEventSize_CutIntoPieces()
    {
        Assert.Equal([("<1>a", true), ("bcd", false), ("<2>z", false)], Decode("7 <1>abcd<2>z", max: 4));
    }

    [Fact]
    public void TryRead_OctetCountedMessageEndsEarly_Truncated()
    {
        Assert.Equal([("<1>abc", true)], Decode("50 <1>abc"));
    }

    [Theory]
    [InlineData("12 apples\n", "12 apples")]
    [InlineData("12\n", "12")]
    [InlineData("0 <1>x\n", "0 <1>x")]
    public void TryRead_LineStartingWithANumberButNotAFrameLength_StaysALine(string input, string expected)
    {
        Assert.Equal([(expected, false)], Decode(input, chunk: 1));
    }

    [Fact]
    public void TryRead_DigitsAtTheEndOfTheBuffer_WaitForMoreBeforeDeciding()
    {
        var decoder = new SyslogFrameDecoder(100);
        var buffer = new ReadOnlySequence<byte>("12 "u8.ToArray());

        Assert.False(decoder.TryRead(ref buffer, isCompleted: false, out _));
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void TryRead_LongLineArrivingByteByByte_OneFrameInLinearTime()
    {
        // 2 MiB then LF, offered one more byte at a time from the same start, as the connection does:
        // searching the whole unfinished line again on every read would scan ~2 * 10^12 bytes.
        var bytes = Encoding.ASCII.GetBytes("<13>" + new string('x', 2 << 20) + "\n");
        var decoder = new SyslogFrameDecoder(4 << 20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SyslogFrame frame = default;
        var framed = false;

        for (var end = 1; end <= bytes.Length && !framed; end++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, end);
            framed = decoder.TryRead(ref buffer, isCompleted: false, out frame);
        }

        Assert.True(framed);
        Assert.Equal(bytes.Length - 1, frame.Bytes.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
