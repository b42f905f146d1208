using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Sources.Netcat;

namespace FlumeK8s.Runtime.Tests.Sources.Netcat;

public sealed class NetcatLineFramerTests
{
    [Fact]
    public void Frame_PartialLine_StaysUnconsumedUntilItsNewlineArrives()
    {
        var framer = new NetcatLineFramer(512, Encoding.UTF8);
        var lines = new List<NetcatLine>();
        var first = new ReadOnlySequence<byte>("one\ntw"u8.ToArray());

        var consumed = framer.Frame(first, isFinal: false, lines);

        Assert.Equal(4, first.Slice(0, consumed).Length);
        Assert.Equal(["one"], Bodies(lines));
    }

    [Fact]
    public void Frame_LineOfExactlyMaxCharsWithNewline_Fits()
    {
        var framer = new NetcatLineFramer(4, Encoding.UTF8);
        var lines = new List<NetcatLine>();

        framer.Frame(new ReadOnlySequence<byte>("abc\nabcd\n"u8.ToArray()), isFinal: false, lines);

        Assert.Equal("abc", Encoding.UTF8.GetString(lines[0].Body!));
        Assert.True(lines[1].IsTooLong);
    }

    [Fact]
    public void Frame_TooLongUnterminatedLine_ReportedOnceAndSkippedToNewline()
    {
        var framer = new NetcatLineFramer(4, Encoding.UTF8);
        var lines = new List<NetcatLine>();

        framer.Frame(new ReadOnlySequence<byte>("abcdef"u8.ToArray()), isFinal: false, lines);
        framer.Frame(new ReadOnlySequence<byte>("ghij"u8.ToArray()), isFinal: false, lines);
        framer.Frame(new ReadOnlySequence<byte>("kl\nok\n"u8.ToArray()), isFinal: false, lines);

        Assert.True(lines[0].IsTooLong);
        Assert.Equal(2, lines.Count);
        Assert.Equal("ok", Encoding.UTF8.GetString(lines[1].Body!));
    }

    [Fact]
    public void Frame_Latin1Connection_BodyIsUtf8LikeFlume()
    {
        var framer = new NetcatLineFramer(512, Encoding.Latin1);
        var lines = new List<NetcatLine>();

        framer.Frame(new ReadOnlySequence<byte>([0x63, 0x61, 0x66, 0xE9, 0x0A]), isFinal: false, lines);

        Assert.Equal("café"u8.ToArray(), lines[0].Body);
    }

    [Fact]
    public void Frame_FinalUnterminatedLine_IsALine()
    {
        var framer = new NetcatLineFramer(512, Encoding.UTF8);
        var lines = new List<NetcatLine>();

        framer.Frame(new ReadOnlySequence<byte>("last"u8.ToArray()), isFinal: true, lines);

        Assert.Equal(["last"], Bodies(lines));
    }

    private static List<string> Bodies(List<NetcatLine> lines) => [.. lines.Select(l => Encoding.UTF8.GetString(l.Body!))];

    [Fact]
    public void Frame_LongLineArrivingByteByByte_OneLineInLinearTime()
    {
        // 2 MiB of multi-byte characters, offered one more byte at a time from the same start, as
        // the connection does: neither the newline search nor the character count starts over.
        var bytes = Encoding.UTF8.GetBytes(new string('é', 1 << 20) + "\n");
        var framer = new NetcatLineFramer(3 << 19, Encoding.UTF8);
        var lines = new List<NetcatLine>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var end = 1; end <= bytes.Length && lines.Count == 0; end++)
        {
            framer.Frame(new ReadOnlySequence<byte>(bytes, 0, end), isFinal: false, lines);
        }

        Assert.Equal(bytes.Length - 1, Assert.Single(lines).Body!.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Frame_TooLongLineEndedByClose_ReportedTooLong()
    {
        var framer = new NetcatLineFramer(4, Encoding.UTF8);
        var lines = new List<NetcatLine>();

        framer.Frame(new ReadOnlySequence<byte>("ab"u8.ToArray()), isFinal: false, lines);
        framer.Frame(new ReadOnlySequence<byte>("abcdéé"u8.ToArray()), isFinal: true, lines);

        Assert.True(Assert.Single(lines).IsTooLong);
    }
}
