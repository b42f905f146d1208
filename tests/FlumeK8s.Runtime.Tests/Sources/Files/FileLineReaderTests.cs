using System.Text;
using FlumeK8s.Runtime.Sources.Files;

namespace FlumeK8s.Runtime.Tests.Sources.Files;

public sealed class FileLineReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryReadLine_PartialLastLine_WaitsForItsNewline()
    {
        var path = _dir.Combine("a.log");
        File.WriteAllText(path, "one\ntw");
        using var handle = Open(path);
        var reader = new FileLineReader(handle, 0, LineTerminator.Bytes);

        var first = ReadAll(reader);
        var afterFirst = reader.Position;
        File.AppendAllText(path, "o\nthree\n");
        var second = ReadAll(reader);

        Assert.Equal(["one"], first);
        Assert.Equal(4, afterFirst);
        Assert.Equal(["two", "three"], second);
        Assert.Equal(14, reader.Position);
    }

    [Fact]
    public void TryReadLine_PartialLastLineTaken_WhenAskedAtTheEnd()
    {
        var path = _dir.Combine("a.log");
        File.WriteAllText(path, "one\ntwo");
        using var handle = Open(path);
        var reader = new FileLineReader(handle, 0, LineTerminator.Bytes);

        Assert.True(reader.TryReadLine(takePartialAtEnd: true, out var one));
        Assert.Equal("one", Encoding.UTF8.GetString(one.Content));
        Assert.True(reader.TryReadLine(takePartialAtEnd: true, out var two));
        Assert.Equal("two", Encoding.UTF8.GetString(two.Content));
        Assert.Equal(4, two.Offset);
        Assert.False(reader.TryReadLine(takePartialAtEnd: true, out _));
        Assert.Equal(7, reader.Position);
    }

    [Fact]
    public void TryReadLine_WindowsLineEnds_CarriageReturnRemoved()
    {
        var path = _dir.Combine("a.log");
        File.WriteAllText(path, "one\r\ntwo\r\n");
        using var handle = Open(path);

        Assert.Equal(["one", "two"], ReadAll(new FileLineReader(handle, 0, LineTerminator.Bytes)));
    }

    [Fact]
    public void TryReadLine_LineLongerThanMaximum_CutAndRestSkipped()
    {
        var path = _dir.Combine("a.log");
        var longLine = new string('x', 100_000);
        File.WriteAllText(path, $"short\n{longLine}\nafter\n");
        using var handle = Open(path);
        var reader = new FileLineReader(handle, 0, LineTerminator.Bytes, maxLineBytes: 10);

        Assert.True(reader.TryReadLine(false, out var first));
        Assert.False(first.Truncated);
        Assert.True(reader.TryReadLine(false, out var cut));
        Assert.True(cut.Truncated);
        Assert.Equal("xxxxxxxxxx", Encoding.UTF8.GetString(cut.Content));
        Assert.Equal(6, cut.Offset);
        Assert.True(reader.TryReadLine(false, out var after));
        Assert.Equal("after", Encoding.UTF8.GetString(after.Content));
        Assert.Equal(6 + 100_001, after.Offset);
    }

    [Fact]
    public void TryReadLine_LongLinesWithoutMaximum_ReadWhole()
    {
        var path = _dir.Combine("a.log");
        var lines = Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 40_000 + i)).ToList();
        _dir.WriteLines("a.log", lines);
        using var handle = Open(path);

        Assert.Equal(lines, ReadAll(new FileLineReader(handle, 0, LineTerminator.Bytes)));
    }

    [Fact]
    public void TryReadLine_Utf16_NewlineBytesInsideACharacterAreNotALineEnd()
    {
        // U+0A41 U+4100 in UTF-16LE is 41 0A 00 41: a 0A 00 pair at an odd offset.
        var text = "\u0A41\u4100\nnext\n";
        var path = _dir.Combine("a.log");
        File.WriteAllBytes(path, Encoding.Unicode.GetBytes(text));
        using var handle = Open(path);
        var reader = new FileLineReader(handle, 0, LineTerminator.For(Encoding.Unicode));

        Assert.True(reader.TryReadLine(false, out var first));
        Assert.Equal("\u0A41\u4100", Encoding.Unicode.GetString(first.Content));
        Assert.True(reader.TryReadLine(false, out var second));
        Assert.Equal("next", Encoding.Unicode.GetString(second.Content));
        Assert.Equal(6, second.Offset);
    }

    [Fact]
    public void Seek_BackToAnEarlierLine_ReadsItAgain()
    {
        var path = _dir.WriteLines("a.log", ["one", "two", "three"]);
        using var handle = Open(path);
        var reader = new FileLineReader(handle, 0, LineTerminator.Bytes);
        Assert.True(reader.TryReadLine(false, out _));
        var committed = reader.Position;

        Assert.Equal(["two", "three"], ReadAll(reader));
        reader.Seek(committed);

        Assert.Equal(["two", "three"], ReadAll(reader));
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle Open(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static List<string> ReadAll(FileLineReader reader)
    {
        var lines = new List<string>();
        while (reader.TryReadLine(takePartialAtEnd: false, out var line))
        {
            lines.Add(Encoding.UTF8.GetString(line.Content));
        }
        return lines;
    }
}
