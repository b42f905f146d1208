using System.Text;
using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Sinks.Hdfs.HdfsSinkHarness;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs.FileSystems;

/// <summary>The hdfs sink against a WebHDFS NameNode and DataNode on loopback, including their failures.</summary>
public sealed class HdfsSinkWebHdfsTests : IAsyncLifetime, IDisposable
{
    private readonly HdfsSinkHarness _h = new();
    private FakeWebHdfs _server = null!;

    public async Task InitializeAsync() => _server = await FakeWebHdfs.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _h.Dispose();

    private HdfsSink NewSink(params string[] properties) =>
        _h.NewSink([$"hdfs.path=webhdfs://127.0.0.1:{_server.NameNodePort}/flume/%{{app}}", "hdfs.webhdfs.user=flume", "hdfs.rollCount=0", "hdfs.rollSize=0", .. properties]);

    private Dictionary<string, string> Finished() =>
        _server.Files.Where(f => !f.Key.EndsWith(".tmp", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value));

    private async Task PutAppAsync(params string[] bodies) =>
        await _h.PutAsync([.. bodies.Select(b => FlumeK8s.Runtime.Events.Event.FromText(b, new() { ["app"] = "web" }))]);

    [Fact]
    public async Task ProcessAsync_WebHdfs_CreateAppendThenRenameOnStopAsTheUser()
    {
        var sink = NewSink();
        await PutAppAsync("one", "two");
        await ProcessAsync(sink);
        await PutAppAsync("three");
        await ProcessAsync(sink);

        Assert.Equal("one\ntwo\nthree\n", Encoding.UTF8.GetString(_server.Files[$"/flume/web/FlumeData.{_h.Series + 1}.tmp"]));
        await StopAsync(sink);

        Assert.Equal(new Dictionary<string, string> { [$"/flume/web/FlumeData.{_h.Series + 1}"] = "one\ntwo\nthree\n" }, Finished());
        Assert.Single(_server.Files);
        Assert.All(_server.Users, u => Assert.Equal("flume", u));
        Assert.Contains("MKDIRS /flume/web", _server.Operations);
        Assert.Equal(2, _server.Operations.Count(o => o.StartsWith("APPEND", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProcessAsync_DataNodeFailsMidAppend_RollsBackTruncatesAndRedeliversNothingHalfVisible()
    {
        var sink = NewSink();
        await PutAppAsync("committed-1", "committed-2");
        await ProcessAsync(sink);
        _server.FailNextAppendAfter = 0.5;
        await PutAppAsync("retried-3", "retried-4");

        var error = await Assert.ThrowsAsync<WebHdfsException>(() => sink.ProcessAsync(CancellationToken.None).AsTask().WaitAsync(Eventually.DefaultTimeout));

        Assert.Contains("APPEND", error.Message);
        Assert.Contains("IOException: All datanodes", error.Message);
        Assert.Equal(2, _h.Channel.Counter.Size);
        // The file with the committed batch was cut back to it and finished.
        Assert.Equal(new Dictionary<string, string> { [$"/flume/web/FlumeData.{_h.Series + 1}"] = "committed-1\ncommitted-2\n" }, Finished());
        Assert.Contains(_server.Operations, o => o.StartsWith("TRUNCATE", StringComparison.Ordinal));

        await ProcessAsync(sink);
        await StopAsync(sink);

        Assert.Equal(0, _h.Channel.Counter.Size);
        Assert.Equal(new Dictionary<string, string>
        {
            [$"/flume/web/FlumeData.{_h.Series + 1}"] = "committed-1\ncommitted-2\n",
            [$"/flume/web/FlumeData.{_h.Series + 2}"] = "retried-3\nretried-4\n",
        }, Finished());
        Assert.Equal(2, _server.Files.Count);
    }

    [Fact]
    public async Task ProcessAsync_MidAppendFailureWithoutTruncate_FileSetAsideUnderAMarkedName()
    {
        var sink = NewSink();
        _server.TruncateUnsupported = true;
        await PutAppAsync("committed");
        await ProcessAsync(sink);
        _server.FailNextAppendAfter = 0.5;
        await PutAppAsync("retried");

        await Assert.ThrowsAsync<WebHdfsException>(() => sink.ProcessAsync(CancellationToken.None).AsTask().WaitAsync(Eventually.DefaultTimeout));
        await ProcessAsync(sink);
        await StopAsync(sink);

        var good = "committed\n".Length;
        var damaged = $"/flume/web/_FlumeData.{_h.Series + 1}.damaged-{good}";
        Assert.StartsWith("committed\nretr", Encoding.UTF8.GetString(_server.Files[damaged]));
        Assert.Equal(new Dictionary<string, string> { [$"/flume/web/FlumeData.{_h.Series + 2}"] = "retried\n" }, Finished().Where(f => f.Key != damaged).ToDictionary());
    }

    [Fact]
    public async Task ProcessAsync_NameNodeRefuses_RemoteExceptionInTheErrorAndConnectionFailedCounted()
    {
        var sink = NewSink();
        _server.DenyMkdirs = true;
        await PutAppAsync("x");

        var error = await Assert.ThrowsAsync<WebHdfsException>(() => sink.ProcessAsync(CancellationToken.None).AsTask().WaitAsync(Eventually.DefaultTimeout));

        Assert.Equal("WebHDFS MKDIRS /flume/web failed: 403 AccessControlException: Permission denied: user=flume, access=WRITE, inode=\"/flume/web\"", error.Message);
        Assert.Equal(1, sink.Counter.Get("ConnectionFailedCount"));
        Assert.Equal(1, _h.Channel.Counter.Size);
    }

    [Fact]
    public async Task StartAsync_InUseFileOnHdfs_RenamedToItsFinalName()
    {
        _server.PutFile("/flume/web/FlumeData.42.tmp", Encoding.UTF8.GetBytes("from the crashed run\n"));
        _server.PutFile("/flume/web/FlumeData.43", Encoding.UTF8.GetBytes("finished\n"));
        var sink = NewSink();

        await Eventually.Within(sink.StartAsync(CancellationToken.None));

        await Eventually.TrueAsync(() => _server.Files.ContainsKey("/flume/web/FlumeData.42"), "the recovery over WebHDFS");
        Assert.Equal(["/flume/web/FlumeData.42", "/flume/web/FlumeData.43"], _server.Files.Keys.Order(StringComparer.Ordinal));
        await StopAsync(sink);
    }

    [Fact]
    public async Task ProcessAsync_NameNodeUnreachable_ClearErrorEventsStay()
    {
        var port = _server.NameNodePort;
        await _server.DisposeAsync();
        _server = await FakeWebHdfs.StartAsync();
        var sink = _h.NewSink($"hdfs.path=webhdfs://127.0.0.1:{port}/flume", "hdfs.callTimeout=2000");
        await _h.PutTextAsync("x");

        var error = await Assert.ThrowsAsync<WebHdfsException>(() => sink.ProcessAsync(CancellationToken.None).AsTask().WaitAsync(Eventually.DefaultTimeout));

        Assert.StartsWith("WebHDFS MKDIRS /flume failed:", error.Message);
        Assert.Equal(1, _h.Channel.Counter.Size);
    }
}
