using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Tests.Channels.File;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>Bad bytes close only the connection that sent them, with an error logged; nothing reaches the channel and others keep working.</summary>
public sealed class AvroSourceBadInputTests : IAsyncLifetime
{
    private readonly TestPipeline _collector = new();
    private readonly RecordingLoggerFactory _logs = new();
    private AvroSource _source = null!;

    public async Task InitializeAsync()
    {
        var services = AgentServices.ForTests() with { Logs = _logs };
        _source = await AvroHopTests.CreateSourceAsync(_collector, services, "max-frame-size=65536");
    }

    public Task DisposeAsync() => Eventually.Within(_source.StopAsync(CancellationToken.None));

    public static TheoryData<string, byte[]> BadFrames => new()
    {
        { "truncated frame", [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
        { "huge declared length", [0, 0, 0, 1, 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xF0] },
        { "huge buffer count", [0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF] },
        { "negative length", [0, 0, 0, 1, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "garbage payload", [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 8, 0xDE, 0xAD, 0xBE, 0xEF, 0xDE, 0xAD, 0xBE, 0xEF] },
        { "garbage bytes", [.. "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8] },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task BadInput_ClosesThatConnectionLogsAndKeepsServingOthers(string what, byte[] bytes)
    {
        await using var healthy = await RawAvroClient.ConnectAsync(_source.Port);
        await using var bad = await RawAvroClient.ConnectAsync(_source.Port);

        await bad.SendRawAsync(bytes);
        if (what == "truncated frame")
        {
            await bad.DisposeAsync();
        }
        else
        {
            Assert.True(await bad.IsClosedBySourceAsync(), what);
        }

        await Eventually.TrueAsync(() => _logs.Contains("sent bad input"), "the bad input logged");
        Assert.Equal(1, _source.Counter.Get("EventReadFail"));
        Assert.Empty(_collector.Drain());

        await healthy.SendAsync(1, w => AvroSourceProtocolTests.WriteCall(w, new HandshakeRequest(AvroSourceProtocol.Hash, null, AvroSourceProtocol.Hash), "append", Event.FromText("ok")));
        var reply = await healthy.ReceiveAsync();
        var reader = new AvroReader(reply.Payload);
        HandshakeResponse.Read(ref reader);
        Assert.Equal(AvroStatus.Ok, AvroSourceProtocolTests.ReadStatus(ref reader));
        Assert.Equal(["ok"], _collector.DrainBodies());
    }

    [Fact]
    public async Task ClientProtocol_NotFlumes_ClosesTheConnection()
    {
        await using var client = await RawAvroClient.ConnectAsync(_source.Port);

        await client.SendAsync(1, w => AvroSourceProtocolTests.WriteCall(w,
            new HandshakeRequest([.. Enumerable.Repeat((byte)1, 16)], """{"protocol":"Mail","messages":{"send":{}}}""", AvroSourceProtocol.Hash), "send"));

        Assert.True(await client.IsClosedBySourceAsync());
        await Eventually.TrueAsync(() => _logs.Contains("Client protocol refused"), "the refusal logged");
    }
}
