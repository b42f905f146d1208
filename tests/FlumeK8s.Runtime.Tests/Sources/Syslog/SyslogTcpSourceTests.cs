using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

public sealed class SyslogTcpSourceTests
{
    private static SyslogTcpSource NewSource(TestPipeline pipeline, int eventSize = 2500, string? ipHeader = null, string? hostHeader = null) =>
        new("r1", new SyslogTcpSourceSettings("127.0.0.1", 0, eventSize, SyslogKeepFields.None, ipHeader, hostHeader), pipeline.Processor, pipeline.Services);

    private static async Task<TcpClient> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient();
        await Eventually.Within(client.ConnectAsync(endpoint.Address, endpoint.Port));
        return client;
    }

    private static Task SendAsync(TcpClient client, string text) =>
        Eventually.Within(client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask());

    [Fact]
    public async Task Receive_NewlineDelimitedMessages_EventsWithSyslogHeaders()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = await ConnectAsync(source.LocalEndpoint);
            await SendAsync(client, "<13>Oct 11 22:14:15 web1 nginx: started\n<34>1 2003-10-11T22:14:15.003Z db1 su - - - failed\n");

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 2; }, "two events");

            Assert.Equal("web1", events[0].GetHeader("host"));
            Assert.Equal("nginx: started", Encoding.UTF8.GetString(events[0].Body));
            Assert.Equal("db1", events[1].GetHeader("host"));
            Assert.Equal("1065910455003", events[1].GetHeader("timestamp"));
            Assert.Equal("su - - - failed", Encoding.UTF8.GetString(events[1].Body));
            Assert.Equal(2, source.Counter.EventsAccepted);
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_OctetCountedMultilineMessage_OneEvent()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = await ConnectAsync(source.LocalEndpoint);
            const string message = "<11>1 2026-01-01T00:00:00Z host app - - - boom\n  at Foo()";
            await SendAsync(client, $"{Encoding.UTF8.GetByteCount(message)} {message}");

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 1; }, "one event");

            Assert.Equal("app - - - boom\n  at Foo()", Encoding.UTF8.GetString(events[0].Body));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_MessageLongerThanEventSize_IncompleteThenRestAsInvalid()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, eventSize: 30);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = await ConnectAsync(source.LocalEndpoint);
            await SendAsync(client, "<13>Oct 11 22:14:15 host 0123456789\n");

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 2; }, "the cut message and its rest");

            Assert.Equal(SyslogHeaders.Incomplete, events[0].GetHeader(SyslogHeaders.Status));
            Assert.Equal("01234", Encoding.UTF8.GetString(events[0].Body));
            Assert.Equal(SyslogHeaders.Invalid, events[1].GetHeader(SyslogHeaders.Status));
            Assert.Equal("56789", Encoding.UTF8.GetString(events[1].Body));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_GarbageLine_InvalidEventNotDropped()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = await ConnectAsync(source.LocalEndpoint);
            await SendAsync(client, "this is not syslog\n");

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 1; }, "one event");

            Assert.Equal(SyslogHeaders.Invalid, events[0].GetHeader(SyslogHeaders.Status));
            Assert.Equal("this is not syslog", Encoding.UTF8.GetString(events[0].Body));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_ClientClosesWithoutFinalNewline_LastMessageDelivered()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using (var client = await ConnectAsync(source.LocalEndpoint))
            {
                await SendAsync(client, "<13>Oct 11 22:14:15 host last words");
            }

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 1; }, "one event");
            Assert.Equal("last words", Encoding.UTF8.GetString(events[0].Body));
            await Eventually.TrueAsync(() => source.Counter.Get("OpenConnectionCount") == 0, "connection counted as closed");
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_ChannelFull_ConnectionWaitsAndNothingIsLost()
    {
        var pipeline = new TestPipeline(capacity: 2, transactionCapacity: 2);
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = await ConnectAsync(source.LocalEndpoint);
            await SendAsync(client, string.Concat(Enumerable.Range(0, 6).Select(i => $"<13>Oct 11 22:14:15 host m{i}\n")));

            await Eventually.TrueAsync(() => source.Counter.ChannelWriteFails > 0 && pipeline.Channel.Counter.Size == 2, "a full channel refusing the third message");
            var bodies = new List<string>();
            await Eventually.TrueAsync(() => { bodies.AddRange(pipeline.DrainBodies()); return bodies.Count == 6; }, "all six messages after draining");

            Assert.Equal(Enumerable.Range(0, 6).Select(i => $"m{i}"), bodies);
            Assert.Equal(6, source.Counter.EventsAccepted);
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_ClientHeaders_SetFromThePeer()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, ipHeader: "clientIp", hostHeader: "clientHost");
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = await ConnectAsync(source.LocalEndpoint);
            await SendAsync(client, "<13>Oct 11 22:14:15 host hi\n");

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 1; }, "one event");

            Assert.Equal("127.0.0.1", events[0].GetHeader("clientIp"));
            Assert.False(string.IsNullOrEmpty(events[0].GetHeader("clientHost")));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task StopAsync_WithAnOpenConnection_CompletesAndClosesIt()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        using var client = await ConnectAsync(source.LocalEndpoint);
        await SendAsync(client, "<13>Oct 11 22:14:15 host one\n");
        await Eventually.TrueAsync(() => source.Counter.EventsAccepted == 1, "the message");

        await Eventually.Within(source.StopAsync(CancellationToken.None));

        Assert.Equal(0, source.Counter.Get("OpenConnectionCount"));
        var read = await Eventually.Within(client.GetStream().ReadAsync(new byte[1]).AsTask());
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task StartAsync_PortAlreadyInUse_FailsWithTheAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var pipeline = new TestPipeline();
        var source = new SyslogTcpSource("r1", new SyslogTcpSourceSettings("127.0.0.1", port, 2500, SyslogKeepFields.None, null, null), pipeline.Processor, pipeline.Services);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.Within(source.StartAsync(CancellationToken.None)));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_WhileHoldingEventsTheChannelRefuses_Completes()
    {
        var pipeline = new TestPipeline(capacity: 1, transactionCapacity: 1);
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        using var client = await ConnectAsync(source.LocalEndpoint);
        await SendAsync(client, "<13>Oct 11 22:14:15 host one\n<13>Oct 11 22:14:15 host two\n");
        await Eventually.TrueAsync(() => source.Counter.ChannelWriteFails > 0, "the second message refused");

        await Eventually.Within(source.StopAsync(CancellationToken.None));

        Assert.Equal(["one"], pipeline.DrainBodies());
        Assert.Equal(0, source.Counter.Get("OpenConnectionCount"));
    }
}
