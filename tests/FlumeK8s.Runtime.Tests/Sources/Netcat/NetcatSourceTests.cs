using System.Net.Sockets;
using FlumeK8s.Runtime.Sources.Netcat;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Netcat;

public sealed class NetcatSourceTests : IAsyncLifetime
{
    private readonly List<NetcatSource> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var source in _started)
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Lines_AckEveryEvent_RepliesOkAndWritesEachLine()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("hello\nworld\r\n");

        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.Equal(["hello", "world\r"], pipeline.DrainBodies());
        Assert.Equal(2, source.Counter.EventsAccepted);
    }

    [Fact]
    public async Task LongLine_InOneRead_RepliesFailedAndConnectionKeepsWorking()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "max-line-length=10");
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("0123456789abc\n012345678\n");

        Assert.Equal("FAILED: Event exceeds the maximum length (10 chars, including newline)", await client.ReadLineAsync());
        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.Equal(["012345678"], pipeline.DrainBodies());
        Assert.Equal(1, source.Counter.Get("EventReadFail"));
    }

    [Fact]
    public async Task LongLine_WithoutNewlineYet_RepliesAtOnceAndSkipsTheRestOfTheLine()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "max-line-length=10");
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("0123456789");
        Assert.StartsWith("FAILED: Event exceeds", await client.ReadLineAsync());
        await client.SendAsync("rest of the long line\nnext\n");

        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.Equal(["next"], pipeline.DrainBodies());
    }

    [Fact]
    public async Task MultibyteLine_WithinLimitInChars_IsAccepted()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "max-line-length=4");
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("ééé\néééé\n");

        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.StartsWith("FAILED: Event exceeds the maximum length (4 chars", await client.ReadLineAsync());
        Assert.Equal(["ééé"], pipeline.DrainBodies());
    }

    [Fact]
    public async Task FullChannel_RepliesFailedKeepsEarlierEventsAndConnection()
    {
        var pipeline = new TestPipeline(capacity: 2);
        var source = await StartAsync(pipeline);
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("a\nb\nc\n");

        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.Equal("OK", await client.ReadLineAsync());
        var refused = await client.ReadLineAsync();
        Assert.StartsWith("FAILED: ", refused);
        Assert.Contains("full", refused);
        Assert.Equal(["a", "b"], pipeline.DrainBodies());
        Assert.Equal(1, source.Counter.ChannelWriteFails);

        await client.SendAsync("c\n");
        Assert.Equal("OK", await client.ReadLineAsync());
        Assert.Equal(["c"], pipeline.DrainBodies());
    }

    [Fact]
    public async Task AckDisabled_Lines_WrittenWithoutReplies()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "ack-every-event=false", "batchSize=2");
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("1\n2\n3\n4\n5\n");
        client.EndInput();

        Assert.Equal("", await client.ReadToEndAsync());
        Assert.Equal(["1", "2", "3", "4", "5"], pipeline.DrainBodies());
    }

    [Fact]
    public async Task AckDisabled_FullChannel_RepliesFailedForEveryRefusedLine()
    {
        var pipeline = new TestPipeline(capacity: 2);
        var source = await StartAsync(pipeline, "ack-every-event=false");
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("1\n2\n3\n");
        client.EndInput();

        var replies = (await client.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(replies);
        Assert.All(replies, r => Assert.StartsWith("FAILED: ", r));
        // However the lines were split into reads, each one is either in the channel or answered.
        Assert.Equal(3, replies.Length + pipeline.DrainBodies().Count);
    }

    [Fact]
    public async Task LastLine_WithoutNewline_IsWrittenWhenClientEndsInput()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);
        await using var client = await NetcatTestClient.ConnectAsync(source.Port);

        await client.SendAsync("tail");
        client.EndInput();

        Assert.Equal("OK\n", await client.ReadToEndAsync());
        Assert.Equal(["tail"], pipeline.DrainBodies());
    }

    [Fact]
    public async Task ManyClients_ServedConcurrently_OpenConnectionCountFollowsThem()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);
        var clients = new List<NetcatTestClient>();
        for (var i = 0; i < 5; i++)
        {
            clients.Add(await NetcatTestClient.ConnectAsync(source.Port));
        }
        for (var i = 0; i < clients.Count; i++)
        {
            await clients[i].SendAsync($"client {i}\n");
        }
        foreach (var client in clients)
        {
            Assert.Equal("OK", await client.ReadLineAsync());
        }
        Assert.Equal(5, source.Counter.Get("OpenConnectionCount"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"client {i}").Order(), pipeline.DrainBodies().Order());

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
        await Eventually.TrueAsync(() => source.Counter.Get("OpenConnectionCount") == 0, "all connections closed");
    }

    [Fact]
    public async Task Stop_WithConnectedClient_ClosesConnectionAndListener()
    {
        var source = await StartAsync(new TestPipeline());
        var port = source.Port;
        await using var client = await NetcatTestClient.ConnectAsync(port);
        await client.SendAsync("x\n");
        Assert.Equal("OK", await client.ReadLineAsync());

        await Eventually.Within(source.StopAsync(CancellationToken.None));

        Assert.Null(await client.ReadLineAsync());
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => Eventually.Within(late.ConnectAsync("127.0.0.1", port)));
        Assert.Equal(0, source.Counter.Get("OpenConnectionCount"));
    }

    private async Task<NetcatSource> StartAsync(TestPipeline pipeline, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(["bind=127.0.0.1", "port=0", .. properties]);
        var settings = NetcatSourceSettings.Read(context);
        Assert.Empty(problems.Errors);
        var source = new NetcatSource("r1", settings, pipeline.Processor, pipeline.Services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        _started.Add(source);
        return source;
    }
}
