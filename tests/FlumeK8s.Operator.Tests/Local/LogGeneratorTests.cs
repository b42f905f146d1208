using System.IO.Compression;
using System.Text;
using FlumeK8s.Operator.Local;

namespace FlumeK8s.Operator.Tests.Local;

public sealed class LogGeneratorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flumek8s-generator-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Line_Default_TheShortApplicationLine()
    {
        Assert.Equal("seq=7 level=INFO app=demo msg=\"an application log line for flumek8s local up\"\n", LogGenerator.Line(7));
    }

    [Theory]
    [InlineData(1L, 40)]
    [InlineData(42L, 200)]
    [InlineData(123_456_789L, 200)]
    [InlineData(9_999_999_999L, 1000)]
    public void Line_GivenLength_ExactlyThatManyBytesOneNewlineAndItsNumberReadBack(long seq, int lineBytes)
    {
        var line = LogGenerator.LineOfLength(seq, lineBytes);

        Assert.Equal(lineBytes, Encoding.UTF8.GetByteCount(line));
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Equal(1, line.Count(c => c == '\n'));
        Assert.True(SeqToken.TryParse(line.TrimEnd('\n'), out var parsed));
        Assert.Equal(seq, parsed);
    }

    [Fact]
    public void Line_ShorterThanItsNumber_CutRightAfterTheNumber()
    {
        Assert.Equal("seq=123456\n", LogGenerator.LineOfLength(123_456, 5));
    }

    [Fact]
    public void Line_GivenLength_SameLineForTheSameNumberFieldsVaryBetweenNumbers()
    {
        Assert.Equal(LogGenerator.LineOfLength(5, 200), LogGenerator.LineOfLength(5, 200));
        var tails = Enumerable.Range(1, 100).Select(seq => LogGenerator.LineOfLength(seq, 200)[20..]).ToHashSet();
        Assert.Equal(100, tails.Count);
    }

    [Fact]
    public void Line_GivenLength_CompressesAsALogNotAsARepeatedCharacter()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 10_000).Select(seq => LogGenerator.LineOfLength(seq, 200))));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(text);
        }

        var ratio = text.Length / (double)compressed.Length;

        Assert.InRange(ratio, 2, 12);
    }

    [Fact]
    public async Task RunAsync_NoRate_EveryLineWrittenRoundRobinWholeAndInOrder()
    {
        var files = new[] { Path.Combine(_folder, "a.log"), Path.Combine(_folder, "b.log") };
        const long total = 100_003;
        var generator = new LogGenerator(files, rate: null, total, TimeProvider.System, lineBytes: 200);

        await generator.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(total, generator.Generated);
        Assert.True(generator.Done);
        Assert.NotNull(generator.Started);
        Assert.True(generator.Finished >= generator.Started);
        for (var file = 0; file < files.Length; file++)
        {
            var lines = await File.ReadAllLinesAsync(files[file]);
            var expected = Enumerable.Range(0, (int)total).Select(i => i + 1L).Where(seq => (seq - 1) % files.Length == file).ToList();
            Assert.Equal(expected.Count * 200L, new FileInfo(files[file]).Length);
            Assert.Equal(expected, lines.Select(l => SeqToken.TryParse(l, out var seq) ? seq : -1));
        }
    }

    [Fact]
    public async Task RunAsync_AtRate_WritesTheTotalThenStops()
    {
        var file = Path.Combine(_folder, "app.log");
        var generator = new LogGenerator([file], rate: 50_000, total: 5_000, TimeProvider.System);

        await generator.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(Enumerable.Range(1, 5_000).Select(i => (long)i), lines.Select(l => SeqToken.TryParse(l, out var seq) ? seq : -1));
        Assert.Equal(5_000, generator.Generated);
    }

    [Fact]
    public void Constructor_NoRateAndNoTotal_RefusedNamingWhy()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogGenerator(["a.log"], rate: null, total: null, TimeProvider.System));

        Assert.Contains("needs a total", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 200)]
    [InlineData(100, 1)]
    [InlineData(100, LogGenerator.MaxLineBytes + 1)]
    public void Constructor_RateOrLineLengthOutOfRange_Refused(int rate, int lineBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogGenerator(["a.log"], rate, 10, TimeProvider.System, lineBytes));
    }
}
