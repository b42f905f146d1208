using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.NetcatUdp;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.NetcatUdp;

public sealed class NetcatUdpSourceTests : IAsyncLifetime
{
    private readonly List<NetcatUdpSource> _started = [];
    private readonly UdpClient _client = new(new IPEndPoint(IPAddress.Loopback, 0));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var source in _started)
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
        _client.Dispose();
    }

    [Fact]
    public async Task Datagrams_EachBecomesOneEvent_TrailingNewlineStripped()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, AgentServices.ForTests());

        foreach (var text in new[] { "one\n", "two\r\n", "three", "multi\nline\n" })
        {
            await SendAsync(source, text);
        }

        var bodies = new List<string>();
        await Eventually.TrueAsync(() => { bodies.AddRange(pipeline.DrainBodies()); return bodies.Count == 4; }, "four events");
        Assert.Equal(["one", "two", "three", "multi\nline"], bodies);
        Assert.Equal(4, source.Counter.EventsAccepted);
    }

    [Fact]
    public async Task RemoteAddressHeader_Configured_HeaderNamesSenderLikeFlume()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, AgentServices.ForTests(), "remoteAddressHeader=sender");

        await SendAsync(source, "hi");

        var events = new List<Event>();
        await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count == 1; }, "one event");
        var clientPort = ((IPEndPoint)_client.Client.LocalEndPoint!).Port;
        Assert.Equal($"/127.0.0.1:{clientPort}", events[0].GetHeader("sender"));
    }

    [Fact]
    public async Task FullChannel_EventRetriedAfterWait_NothingLost()
    {
        var time = new ManualTimeProvider();
        var pipeline = new TestPipeline(capacity: 1);
        var source = await StartAsync(pipeline, AgentServices.ForTests(time: time));

        await SendAsync(source, "first");
        await SendAsync(source, "second");
        await Eventually.TrueAsync(() => source.Counter.ChannelWriteFails >= 1 && time.PendingTimers > 0, "second event refused and waiting");
        Assert.Equal(["first"], pipeline.DrainBodies());

        time.Advance(TimeSpan.FromSeconds(1));

        var bodies = new List<string>();
        await Eventually.TrueAsync(() => { bodies.AddRange(pipeline.DrainBodies()); return bodies.Count == 1; }, "retried event written");
        Assert.Equal(["second"], bodies);
        Assert.Equal(2, source.Counter.EventsAccepted);
    }

    private async Task SendAsync(NetcatUdpSource source, string text) =>
        await Eventually.Within(_client.SendAsync(Encoding.UTF8.GetBytes(text), new IPEndPoint(IPAddress.Loopback, source.Port)).AsTask());

    private async Task<NetcatUdpSource> StartAsync(TestPipeline pipeline, AgentServices services, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(["bind=127.0.0.1", "port=0", .. properties]);
        var settings = NetcatUdpSourceSettings.Read(context);
        Assert.Empty(problems.Errors);
        var source = new NetcatUdpSource("r1", settings, pipeline.Processor, services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        _started.Add(source);
        return source;
    }
}
