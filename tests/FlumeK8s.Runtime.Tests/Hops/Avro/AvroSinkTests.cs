using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>The avro sink against a scripted server: the NONE-and-resend handshake, replies matched by serial, timeouts and failures.</summary>
public sealed class AvroSinkTests : IAsyncLifetime
{
    private readonly ScriptedAvroServer _server = new();
    private readonly TestPipeline _agent = new();
    private AvroSink _sink = null!;

    public Task InitializeAsync()
    {
        _sink = CreateSink(_server.Port, "batch-size=10", "request-timeout=3000");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Eventually.Within(_sink.StopAsync(CancellationToken.None));
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Handshake_ServerAnswersNone_ResendsWithProtocolThenCallsWithoutHandshake()
    {
        await AvroHopTests.FillAsync(_agent, 15);

        Assert.Equal(PollStatus.Ready, await DeliverAsync());
        Assert.Equal(PollStatus.Ready, await DeliverAsync());

        var handshakes = _server.Handshakes.ToArray();
        Assert.Equal(2, handshakes.Length);
        Assert.Null(handshakes[0].ClientProtocol);
        Assert.Equal(AvroSourceProtocol.Hash, handshakes[0].ClientHash);
        Assert.Equal(AvroSourceProtocol.Hash, handshakes[0].ServerHash);
        Assert.Equal(AvroSourceProtocol.Json, handshakes[1].ClientProtocol);
        Assert.Equal(ScriptedAvroServer.ServerHash, handshakes[1].ServerHash);
        Assert.Equal([10, 5], _server.Batches.ToArray());
        Assert.Empty(_agent.Drain());
    }

    [Fact]
    public async Task Handshake_OnANewConnection_UsesTheLearntServerHashWithoutProtocol()
    {
        await AvroHopTests.FillAsync(_agent, 1);
        await DeliverAsync();
        _server.Status = AvroStatus.Failed;
        await AvroHopTests.FillAsync(_agent, 1);
        await Assert.ThrowsAsync<SinkDeliveryException>(DeliverAsync);
        _server.Status = AvroStatus.Ok;

        Assert.Equal(PollStatus.Ready, await DeliverAsync());

        var last = _server.Handshakes.Last();
        Assert.Null(last.ClientProtocol);
        Assert.Equal(ScriptedAvroServer.ServerHash, last.ServerHash);
        Assert.Equal(2, _server.Connections);
    }

    [Fact]
    public async Task Reply_WithAnotherSerialFirst_IsMatchedBySerial()
    {
        _server.StrayReplyFirst = true;
        await AvroHopTests.FillAsync(_agent, 3);

        Assert.Equal(PollStatus.Ready, await DeliverAsync());

        Assert.Empty(_agent.Drain());
    }

    [Fact]
    public async Task Reply_NeverComes_TimesOutRollsBackAndDropsTheConnection()
    {
        _server.Silent = true;
        await AvroHopTests.FillAsync(_agent, 4);

        var failure = await Assert.ThrowsAsync<SinkDeliveryException>(DeliverAsync);

        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.False(_sink.IsConnected);
        Assert.Equal(1, _sink.Counter.Get("ConnectionClosedCount"));
        Assert.Equal(4, _agent.Drain().Count);
    }

    [Theory]
    [InlineData(AvroStatus.Failed)]
    [InlineData(AvroStatus.Unknown)]
    public async Task Status_NotOk_RollsBack(AvroStatus status)
    {
        _server.Status = status;
        await AvroHopTests.FillAsync(_agent, 2);

        await Assert.ThrowsAsync<SinkDeliveryException>(DeliverAsync);

        Assert.Equal(2, _agent.Drain().Count);
        Assert.Equal(1, _sink.Counter.Get("EventWriteFail"));
    }

    [Fact]
    public async Task ErrorReply_FailsNamingTheServersErrorAndKeepsTheBatch()
    {
        _server.Error = "No such message: appendBatch";
        await AvroHopTests.FillAsync(_agent, 3);

        var failure = await Assert.ThrowsAsync<SinkDeliveryException>(DeliverAsync);

        Assert.Contains("answered the call with an error: No such message: appendBatch", failure.Message);
        Assert.Contains("Retrying cannot succeed", failure.Message);
        Assert.IsType<AvroRemoteException>(failure.InnerException);
        Assert.Equal(3, _agent.Drain().Count);
    }

    private Task<PollStatus> DeliverAsync() => Eventually.Within(_sink.ProcessAsync(CancellationToken.None).AsTask());

    private AvroSink CreateSink(int port, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(["hostname=127.0.0.1", $"port={port}", .. properties]);
        var settings = AvroSinkSettings.Read(context);
        Assert.Empty(problems.Errors);
        return new AvroSink("k1", _agent.Channel, settings, TimeProvider.System, NullLogger.Instance);
    }
}
