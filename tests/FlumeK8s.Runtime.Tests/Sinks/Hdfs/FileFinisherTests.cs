using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;
using FlumeK8s.Runtime.Sinks.Serialization;
using FlumeK8s.Runtime.Tests.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

/// <summary>
/// The finisher on its own, on the local file system (and a WebHDFS NameNode without truncate):
/// what becomes of a file the sink stopped writing, for each relation between its length on disk
/// and what the file system acknowledged.
/// </summary>
public sealed class FileFinisherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-finisher-").FullName;
    private readonly SinkCounter _counter = new("k1", "hdfs");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string InUse => Path.Combine(_dir, "FlumeData.1.tmp");

    private string Final => Path.Combine(_dir, "FlumeData.1");

    private FileFinisher Finisher(IHdfsFileSystem? fileSystem = null) => new(fileSystem ?? new LocalFileSystem(), "k1", _counter, NullLogger.Instance);

    [Fact]
    public async Task TryFinishAsync_AcknowledgedBytesMissing_SetAsideUnderADamagedNameWithWhatIsThere()
    {
        await File.WriteAllTextAsync(InUse, "short");

        Assert.True(await Eventually.Within(Finisher().TryFinishAsync(new PendingClose(InUse, Final, TruncateTo: 10), CancellationToken.None)));

        Assert.Equal(["_FlumeData.1.damaged-10"], Names());
        Assert.Equal("short", await File.ReadAllTextAsync(Path.Combine(_dir, "_FlumeData.1.damaged-10")));
    }

    [Fact]
    public async Task TryFinishAsync_TailPastTheAcknowledgedLength_CutBackAndRenamedToItsFinalName()
    {
        await File.WriteAllTextAsync(InUse, "committed\nhalf of a batch");

        Assert.True(await Eventually.Within(Finisher().TryFinishAsync(new PendingClose(InUse, Final, TruncateTo: 10), CancellationToken.None)));

        Assert.Equal(["FlumeData.1"], Names());
        Assert.Equal("committed\n", await File.ReadAllTextAsync(Final));
    }

    [Fact]
    public async Task TryFinishAsync_NothingAcknowledged_FileDeleted()
    {
        await File.WriteAllTextAsync(InUse, "half of a batch");

        Assert.True(await Eventually.Within(Finisher().TryFinishAsync(new PendingClose(InUse, Final, TruncateTo: 0), CancellationToken.None)));

        Assert.Empty(Names());
    }

    [Fact]
    public async Task TryFinishAsync_FileGone_DoneWithNothingToDo()
    {
        Assert.True(await Eventually.Within(Finisher().TryFinishAsync(new PendingClose(InUse, Final, TruncateTo: 10), CancellationToken.None)));

        Assert.Empty(Names());
    }

    [Fact]
    public async Task TryFinishAsync_FileSystemCannotTruncate_SetAsideUnderADamagedNameWhole()
    {
        await using var server = await FakeWebHdfs.StartAsync();
        server.TruncateUnsupported = true;
        server.PutFile("/flume/FlumeData.1.tmp", "committed\nhalf"u8.ToArray());
        using var webHdfs = new WebHdfsFileSystem(new Uri($"http://127.0.0.1:{server.NameNodePort}"), "flume", null, TimeSpan.FromSeconds(10));

        var finished = await Eventually.Within(Finisher(webHdfs).TryFinishAsync(
            new PendingClose("/flume/FlumeData.1.tmp", "/flume/FlumeData.1", TruncateTo: 10), CancellationToken.None));

        Assert.True(finished);
        Assert.Equal(["/flume/_FlumeData.1.damaged-10"], server.Files.Keys);
        Assert.Equal("committed\nhalf"u8.ToArray(), server.Files["/flume/_FlumeData.1.damaged-10"]);
    }

    [Fact]
    public async Task FinishClosedAsync_FinalNameTaken_CountedKeptAndRenamedOnceFree()
    {
        var finisher = Finisher();
        var fileSystem = new LocalFileSystem();
        var output = await Eventually.Within(fileSystem.CreateAsync(InUse, CancellationToken.None));
        output!.Dispose();
        await File.WriteAllTextAsync(Final, "someone else's");

        var closed = new BucketFile(output, InUse, Final, new TextFileEncoder(new BodyTextSerializer(appendNewline: true)));

        await Eventually.Within(finisher.FinishClosedAsync(closed, "roll", CancellationToken.None));

        Assert.Equal(1, finisher.PendingCount);
        Assert.True(finisher.Holds(InUse)); // so a rescan of its folder leaves it alone
        Assert.Equal(1, _counter.Get("ConnectionFailedCount"));
        File.Delete(Final);
        await Eventually.Within(finisher.RetryPendingAsync(CancellationToken.None));
        Assert.Equal(0, finisher.PendingCount);
        Assert.False(finisher.Holds(InUse));
        Assert.Equal(["FlumeData.1"], Names());
    }

    private string[] Names() => [.. Directory.EnumerateFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
