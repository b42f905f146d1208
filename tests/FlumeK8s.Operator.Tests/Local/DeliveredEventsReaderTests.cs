using System.IO.Compression;
using System.Text;
using FlumeK8s.Operator.Local;

namespace FlumeK8s.Operator.Tests.Local;

public sealed class DeliveredEventsReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flumek8s-delivered-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Lines(params long[] seqs) => string.Concat(seqs.Select(LogGenerator.Line));

    private DeliveryTally Tally(long expected, bool final = true)
    {
        var reader = new DeliveredEventsReader([_folder]);
        reader.Scan(final);
        return DeliveryTally.Of(reader.Seqs, expected);
    }

    [Fact]
    public void Scan_FilesInNestedFolders_DuplicatesAndGapsCounted()
    {
        Write("stores-0/1700000000000-1", Lines(1, 2, 3));
        Write("stores-1/2024/01/01/events.tmp", Lines(3, 5, 5));

        var tally = Tally(6);

        Assert.Equal(4, tally.Delivered);
        Assert.Equal(2, tally.Duplicates);
        Assert.Equal(2, tally.Lost);
        Assert.Equal(4, tally.FirstMissing);
    }

    [Fact]
    public void Scan_HeaderAndTextLines_TheBodysNumber()
    {
        Write("a", "{file=/w/app.log, seq=999, timestamp=1} seq=1 level=INFO\n{} seq=2 x\nnot an event\n");

        var tally = Tally(2);

        Assert.Equal(2, tally.Delivered);
        Assert.Equal(0, tally.Unexpected);
    }

    [Fact]
    public void Scan_GzipFile_Decompressed()
    {
        using (var file = File.Create(Path.Combine(_folder, "part-0.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Lines(1, 2)));
        }

        Assert.Equal(2, Tally(2).Delivered);
    }

    [Fact]
    public void Scan_GrowingFile_ReadIncrementallyAndAPartialLineOnlyWhenFinal()
    {
        var path = Write("out", Lines(1) + "seq=2 pa");
        var reader = new DeliveredEventsReader([_folder]);

        reader.Scan();
        Assert.Equal([1L], reader.Seqs);
        File.AppendAllText(path, "dding\n" + Lines(3) + "seq=4");
        reader.Scan();
        Assert.Equal([1L, 2, 3], reader.Seqs);
        reader.Scan(final: true);
        Assert.Equal([1L, 2, 3, 4], reader.Seqs);
    }

    [Fact]
    public void Scan_InUseFileRenamedWhenClosed_CountedOnceUnderItsNewName()
    {
        var path = Write("bucket/events.1.tmp", Lines(1, 2));
        var reader = new DeliveredEventsReader([_folder]);
        reader.Scan();

        File.Move(path, Path.Combine(_folder, "bucket", "events.1"));
        reader.Scan();

        Assert.Equal([1L, 2], reader.Seqs.Order());
        Assert.Equal(1, reader.Files);
    }

    [Fact]
    public void Scan_MissingFolder_NothingDelivered() =>
        Assert.Empty(new DeliveredEventsReader([Path.Combine(_folder, "absent")]).Seqs);
}
