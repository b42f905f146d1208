using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

public sealed class SyslogUdpSourceTests
{
    private static SyslogUdpSource NewSource(TestPipeline pipeline, string? ipHeader = null) =>
        new("r1", new SyslogUdpSourceSettings("127.0.0.1", 0, SyslogKeepFields.None, ipHeader, null), pipeline.Processor, pipeline.Services);

    private static Task SendAsync(UdpClient client, SyslogUdpSource source, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Eventually.Within(client.SendAsync(bytes, source.LocalEndpoint!).AsTask());
    }

    [Fact]
    public async Task Receive_Datagram_OneEventWithoutTheLineEnd()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, ipHeader: "clientIp");
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            await SendAsync(client, source, "<165>1 2003-10-11T22:14:15.003Z host app - - - first\n");
            await SendAsync(client, source, "not syslog at all");

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 2; }, "two events");

            Assert.Equal("app - - - first", Encoding.UTF8.GetString(events[0].Body));
            Assert.Equal("20", events[0].GetHeader("Facility"));
            Assert.Equal("5", events[0].GetHeader("Severity"));
            Assert.Equal("127.0.0.1", events[0].GetHeader("clientIp"));
            Assert.Equal(SyslogHeaders.Invalid, events[1].GetHeader(SyslogHeaders.Status));
            Assert.Equal("not syslog at all", Encoding.UTF8.GetString(events[1].Body));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_DatagramLongerThanTcpEventSize_KeptWhole()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var text = new string('x', 5000);
            await SendAsync(client, source, "<13>Oct 11 22:14:15 host " + text);

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 1; }, "one event");

            Assert.Equal(text, Encoding.UTF8.GetString(events[0].Body));
            Assert.Null(events[0].GetHeader(SyslogHeaders.Status));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_ChannelFull_CountsChannelWriteFailAndKeepsServing()
    {
        var pipeline = new TestPipeline(capacity: 1, transactionCapacity: 1);
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            await SendAsync(client, source, "<13>Oct 11 22:14:15 host one");
            await Eventually.TrueAsync(() => source.Counter.EventsAccepted == 1, "the first message");
            await SendAsync(client, source, "<13>Oct 11 22:14:15 host two");
            await Eventually.TrueAsync(() => source.Counter.ChannelWriteFails == 1, "the refused second message");

            Assert.Equal(["one"], pipeline.DrainBodies());
            await SendAsync(client, source, "<13>Oct 11 22:14:15 host three");
            var bodies = new List<string>();
            await Eventually.TrueAsync(() => { bodies.AddRange(pipeline.DrainBodies()); return bodies.Count == 1; }, "the third message");
            Assert.Equal(["three"], bodies);
            Assert.Equal(3, source.Counter.EventsReceived);
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task StopAsync_WhileTheChannelMakesADatagramWait_CompletesCleanly()
    {
        var pipeline = new TestPipeline(capacity: 1, transactionCapacity: 1, keepAlive: TimeSpan.FromMinutes(1));
        var source = NewSource(pipeline);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await SendAsync(client, source, "<13>Oct 11 22:14:15 host one");
        await Eventually.TrueAsync(() => source.Counter.EventsAccepted == 1, "the first message");
        await SendAsync(client, source, "<13>Oct 11 22:14:15 host two");
        await Eventually.TrueAsync(() => source.Counter.EventsReceived == 2, "the second message waiting for room");

        await Eventually.Within(source.StopAsync(CancellationToken.None));

        Assert.Equal(["one"], pipeline.DrainBodies());
    }
}
