using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Tests;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

public sealed class MultiportSyslogTcpSourceTests
{

    private static async Task SendAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await Eventually.Within(client.ConnectAsync(IPAddress.Loopback, port));
        await Eventually.Within(client.GetStream().WriteAsync(bytes).AsTask());
    }

    private static (MultiportSyslogTcpSource Source, TestPipeline Pipeline, int[] Ports) NewSource(params string[] extra)
    {
        var ports = new[] { FreeLoopbackPort.Next(), FreeLoopbackPort.Next() };
        var (context, problems) = TestPipeline.Context(
            ["host=127.0.0.1", $"ports={ports[0]} {ports[1]}", "portHeader=port", .. extra.Select(e => e.Replace("{p1}", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))]);
        var settings = MultiportSyslogTcpSourceSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        var pipeline = new TestPipeline();
        return (new MultiportSyslogTcpSource("r1", settings, pipeline.Processor, pipeline.Services), pipeline, ports);
    }

    [Fact]
    public async Task Receive_OnEachPort_PortHeaderNamesTheReceivingPort()
    {
        var (source, pipeline, ports) = NewSource();
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            await SendAsync(ports[0], "<13>Oct 11 22:14:15 host first\n"u8.ToArray());
            await SendAsync(ports[1], "<13>Oct 11 22:14:15 host second\n"u8.ToArray());

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 2; }, "one event per port");

            var byBody = events.ToDictionary(e => Encoding.UTF8.GetString(e.Body), e => e.GetHeader("port"));
            Assert.Equal(ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture), byBody["first"]);
            Assert.Equal(ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture), byBody["second"]);
            Assert.Equal([ports[0], ports[1]], source.LocalEndpoints.Select(e => e.Port));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_ManyMessagesInOneWrite_DeliveredInBatches()
    {
        var (source, pipeline, ports) = NewSource("batchSize=10");
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            var payload = string.Concat(Enumerable.Range(0, 35).Select(i => $"<13>Oct 11 22:14:15 host m{i}\n"));
            await SendAsync(ports[0], Encoding.UTF8.GetBytes(payload));

            var bodies = new List<string>();
            await Eventually.TrueAsync(() => { bodies.AddRange(pipeline.DrainBodies()); return bodies.Count == 35; }, "all messages");

            Assert.Equal(Enumerable.Range(0, 35).Select(i => $"m{i}"), bodies);
            Assert.Equal(35, source.Counter.EventsAccepted);
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_BytesOutsideThePortCharset_InvalidOnlyWhereTheCharsetForbidsThem()
    {
        var (source, pipeline, ports) = NewSource("charset.port.{p1}=ISO-8859-1");
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            // "café" in ISO-8859-1: E9 is not UTF-8 on its own.
            var latin1 = Encoding.Latin1.GetBytes("<13>Oct 11 22:14:15 host caf\u00e9\n");
            await SendAsync(ports[0], latin1);
            await SendAsync(ports[1], latin1);

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 2; }, "one event per port");

            var utf8Port = events.Single(e => e.GetHeader("port") == ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
            var latin1Port = events.Single(e => e.GetHeader("port") == ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(SyslogHeaders.Invalid, utf8Port.GetHeader(SyslogHeaders.Status));
            Assert.Null(latin1Port.GetHeader(SyslogHeaders.Status));
            Assert.Equal("caf\u00e9", Encoding.Latin1.GetString(latin1Port.Body));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receive_MessageLongerThanEventSize_MarkedIncomplete()
    {
        var (source, pipeline, ports) = NewSource("eventSize=30");
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            await SendAsync(ports[0], "<13>Oct 11 22:14:15 host 0123456789\n"u8.ToArray());

            var events = new List<Events.Event>();
            await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 2; }, "the cut message and its rest");

            Assert.Equal(SyslogHeaders.Incomplete, events[0].GetHeader(SyslogHeaders.Status));
            Assert.Equal("01234", Encoding.UTF8.GetString(events[0].Body));
            Assert.Equal("56789", Encoding.UTF8.GetString(events[1].Body));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }
}
