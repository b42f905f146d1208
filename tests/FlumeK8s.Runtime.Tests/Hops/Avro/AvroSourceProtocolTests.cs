using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>The avro source's handshake and call handling, driven byte by byte from a bare socket.</summary>
public sealed class AvroSourceProtocolTests : IAsyncLifetime
{
    private static readonly byte[] UnknownHash = [.. Enumerable.Repeat((byte)0x5A, 16)];
    private static readonly byte[] WrongServerHash = [.. Enumerable.Repeat((byte)0xA5, 16)];

    private readonly TestPipeline _collector = new();
    private AvroSource _source = null!;

    public async Task InitializeAsync() => _source = await AvroHopTests.CreateSourceAsync(_collector, _collector.Services);

    public Task DisposeAsync() => Eventually.Within(_source.StopAsync(CancellationToken.None));

    [Fact]
    public async Task Handshake_UnknownHashWithoutProtocol_AnswersNoneAndDoesNotRunTheCall()
    {
        await using var client = await RawAvroClient.ConnectAsync(_source.Port);

        await client.SendAsync(1, w => WriteCall(w, new HandshakeRequest(UnknownHash, null, WrongServerHash), "append", Event.FromText("x")));
        var reply = await client.ReceiveAsync();

        Assert.Equal(1, reply.Serial);
        var reader = new AvroReader(reply.Payload);
        var handshake = HandshakeResponse.Read(ref reader);
        Assert.Equal(HandshakeMatch.None, handshake.Match);
        Assert.Equal(AvroSourceProtocol.Json, handshake.ServerProtocol);
        Assert.Equal(AvroSourceProtocol.Hash, handshake.ServerHash);
        Assert.Equal(0, reader.Remaining);
        Assert.Empty(_collector.Drain());
    }

    [Fact]
    public async Task Handshake_NoneThenResentWithProtocolAndWrongServerHash_AnswersClientRunsTheCallThenNoHandshake()
    {
        await using var client = await RawAvroClient.ConnectAsync(_source.Port);
        await client.SendAsync(1, w => WriteCall(w, new HandshakeRequest(UnknownHash, null, WrongServerHash), "append", Event.FromText("first")));
        await client.ReceiveAsync();

        await client.SendAsync(2, w => WriteCall(w, new HandshakeRequest(UnknownHash, ForeignFlumeProtocol, WrongServerHash), "append", Event.FromText("first")));
        var reply = await client.ReceiveAsync();

        Assert.Equal(2, reply.Serial);
        var reader = new AvroReader(reply.Payload);
        var handshake = HandshakeResponse.Read(ref reader);
        Assert.Equal(HandshakeMatch.Client, handshake.Match);
        Assert.Equal(AvroSourceProtocol.Json, handshake.ServerProtocol);
        Assert.Equal(AvroSourceProtocol.Hash, handshake.ServerHash);
        Assert.Equal(AvroStatus.Ok, ReadStatus(ref reader));

        await client.SendAsync(3, w => WriteCall(w, null, "appendBatch", Event.FromText("second"), Event.FromText("third")));
        var next = await client.ReceiveAsync();

        Assert.Equal(3, next.Serial);
        var nextReader = new AvroReader(next.Payload);
        Assert.Equal(AvroStatus.Ok, ReadStatus(ref nextReader));
        Assert.Equal(["first", "second", "third"], _collector.DrainBodies());
    }

    [Fact]
    public async Task Handshake_HashLearntOnAnotherConnection_AnswersBothWithoutProtocol()
    {
        await using (var first = await RawAvroClient.ConnectAsync(_source.Port))
        {
            await first.SendAsync(1, w => WriteCall(w, new HandshakeRequest(UnknownHash, ForeignFlumeProtocol, AvroSourceProtocol.Hash), "", []));
            await first.ReceiveAsync();
        }
        await using var second = await RawAvroClient.ConnectAsync(_source.Port);

        await second.SendAsync(1, w => WriteCall(w, new HandshakeRequest(UnknownHash, null, AvroSourceProtocol.Hash), "append", Event.FromText("x")));
        var reply = await second.ReceiveAsync();

        var reader = new AvroReader(reply.Payload);
        var handshake = HandshakeResponse.Read(ref reader);
        Assert.Equal(HandshakeMatch.Both, handshake.Match);
        Assert.Null(handshake.ServerProtocol);
        Assert.Null(handshake.ServerHash);
        Assert.Equal(AvroStatus.Ok, ReadStatus(ref reader));
    }

    [Fact]
    public async Task Ping_EmptyMessageName_RepliesWithTheHandshakeOnly()
    {
        await using var client = await RawAvroClient.ConnectAsync(_source.Port);

        await client.SendAsync(9, w => WriteCall(w, new HandshakeRequest(AvroSourceProtocol.Hash, null, AvroSourceProtocol.Hash), "", []));
        var reply = await client.ReceiveAsync();

        Assert.Equal(9, reply.Serial);
        var reader = new AvroReader(reply.Payload);
        Assert.Equal(HandshakeMatch.Both, HandshakeResponse.Read(ref reader).Match);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public async Task UnknownMessage_RepliesWithAnErrorAndKeepsServing()
    {
        await using var client = await RawAvroClient.ConnectAsync(_source.Port);
        await client.SendAsync(1, w => WriteCall(w, new HandshakeRequest(AvroSourceProtocol.Hash, null, AvroSourceProtocol.Hash), "", []));
        await client.ReceiveAsync();

        await client.SendAsync(2, w => WriteCall(w, null, "delete", []));
        var reply = await client.ReceiveAsync();

        var reader = new AvroReader(reply.Payload);
        Assert.Empty(reader.ReadBytesMap());
        Assert.True(reader.ReadBoolean());
        Assert.Equal(0, reader.ReadUnionIndex(1, "error"));
        Assert.Contains("delete", reader.ReadString());

        await client.SendAsync(3, w => WriteCall(w, null, "append", Event.FromText("still here")));
        var next = await client.ReceiveAsync();
        var nextReader = new AvroReader(next.Payload);
        Assert.Equal(AvroStatus.Ok, ReadStatus(ref nextReader));
        Assert.Equal(["still here"], _collector.DrainBodies());
    }

    [Fact]
    public async Task InterceptorFails_RepliesFailedCountsItAndKeepsServing()
    {
        var pipeline = new TestPipeline(interceptors: new FailingOn("boom"));
        var source = await AvroHopTests.CreateSourceAsync(pipeline, pipeline.Services);
        try
        {
            await using var client = await RawAvroClient.ConnectAsync(source.Port);
            await client.SendAsync(1, w => WriteCall(w, new HandshakeRequest(AvroSourceProtocol.Hash, null, AvroSourceProtocol.Hash), "appendBatch", Event.FromText("boom")));
            var reply = await client.ReceiveAsync();
            var reader = new AvroReader(reply.Payload);
            HandshakeResponse.Read(ref reader);

            Assert.Equal(AvroStatus.Failed, ReadStatus(ref reader));
            Assert.Equal(1, source.Counter.Get("GenericProcessingFail"));
            await client.SendAsync(2, w => WriteCall(w, null, "append", Event.FromText("fine")));
            var next = await client.ReceiveAsync();
            var nextReader = new AvroReader(next.Payload);
            Assert.Equal(AvroStatus.Ok, ReadStatus(ref nextReader));
            Assert.Equal(["fine"], pipeline.DrainBodies());
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    /// <summary>An interceptor with a bug that shows on one body.</summary>
    private sealed class FailingOn(string body) : FlumeK8s.Runtime.Interceptors.IInterceptor
    {
        public void Intercept(List<Event> batch)
        {
            if (batch.Any(e => Encoding.UTF8.GetString(e.Body) == body))
            {
                throw new InvalidOperationException("interceptor broke on " + body);
            }
        }
    }

    /// <summary>A client's protocol text as another Flume release would send it: same messages, a doc string, so another hash.</summary>
    private static string ForeignFlumeProtocol =>
        AvroSourceProtocol.Json.Replace("\"namespace\"", "\"doc\":\"release 1.x\",\"namespace\"", StringComparison.Ordinal);

    internal static void WriteCall(IBufferWriter<byte> output, HandshakeRequest? handshake, string message, params Event[] events)
    {
        handshake?.Write(output);
        AvroEncoder.WriteLong(output, 0);
        AvroEncoder.WriteString(output, message);
        if (message == "append")
        {
            AvroFlumeEventCodec.Write(output, events[0]);
        }
        else if (message == "appendBatch")
        {
            AvroFlumeEventCodec.WriteArray(output, events);
        }
    }

    internal static AvroStatus ReadStatus(ref AvroReader reader)
    {
        Assert.Empty(reader.ReadBytesMap());
        Assert.False(reader.ReadBoolean());
        var status = (AvroStatus)reader.ReadEnum(3, "Status");
        Assert.Equal(0, reader.Remaining);
        return status;
    }

    [Fact]
    public void ClientProtocol_WithoutFlumesMessages_IsRefused()
    {
        Assert.Null(AvroSourceProtocol.TryReadMessages("""{"protocol":"Other","messages":{"append":{"request":[],"response":"null"}}}""", out var problem));
        Assert.Contains("appendBatch", problem);
        Assert.Null(AvroSourceProtocol.TryReadMessages("not json", out problem));
        Assert.Contains("not JSON", problem);
        Assert.NotNull(AvroSourceProtocol.TryReadMessages(ForeignFlumeProtocol, out _));
        Assert.NotEqual(Encoding.UTF8.GetBytes(ForeignFlumeProtocol), Encoding.UTF8.GetBytes(AvroSourceProtocol.Json));
    }

    [Theory]
    [InlineData("""{"protocol":"Other","messages":[]}""")]
    [InlineData("""{"protocol":"Other","messages":{"append":{}}}""")]
    [InlineData("""{"protocol":"Other","messages":{"append":{"request":[{"name":"e","type":"Nope"}],"response":"null"}}}""")]
    [InlineData("""{"protocol":7}""")]
    [InlineData("""{"messages":{}}""")]
    [InlineData("""[1,2]""")]
    public void ClientProtocol_NotAnAvroProtocol_RefusedWithAReason(string text)
    {
        Assert.Null(AvroSourceProtocol.TryReadMessages(text, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void LocalProtocol_ParsedByApacheAvro_HashIsTheMd5OfItsText()
    {
        Assert.Equal(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(AvroSourceProtocol.Json)), AvroSourceProtocol.Hash);
        Assert.Equal([AvroSourceProtocol.AppendMessage, AvroSourceProtocol.AppendBatchMessage], AvroSourceProtocol.TryReadMessages(AvroSourceProtocol.Json, out _)!.Order(StringComparer.Ordinal));
        Assert.Equal("org.apache.flume.source.avro.AvroFlumeEvent", AvroSourceProtocol.EventSchema.Fullname);
    }
}
