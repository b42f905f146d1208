using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Tests.Support.Fuzz;
using Xunit.Abstractions;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>
/// Hostile clients against a real avro source: mutated and truncated frames, slow writers, and
/// frames that announce the maximum size and then stall. The source must keep serving, and hold
/// only about what clients actually sent.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class AvroSourceFuzzTests(ITestOutputHelper output)
{
    private const int StalledClients = 20;
    private const int StalledBytes = 64 * 1024;

    // 20 stalled clients that each sent 64 KiB hold their pipe and payload so far: a few MiB.
    // A source that sized a frame from its declared 64 MiB would need 1.25 GiB.
    private const long StalledBound = 48L << 20;
    private const long AfterBound = 16L << 20;

    [Fact]
    public async Task HostileClients_SourceKeepsServingAndMemoryStaysBounded()
    {
        var pipeline = new TestPipeline(capacity: 100_000, transactionCapacity: 10_000);
        var source = await AvroHopTests.CreateSourceAsync(pipeline, pipeline.Services);
        var endpoint = new IPEndPoint(IPAddress.Loopback, source.Port);
        try
        {
            await AssertServesAsync(endpoint, pipeline, "warm-up");
            var baseline = ManagedMemory.Collected();

            var ran = await FuzzRun.CasesAsync("avro", cases: 1500, budget: TimeSpan.FromSeconds(5), async fuzzer =>
            {
                var bodies = Enumerable.Range(0, fuzzer.Next(1, 20)).Select(i => $"case{fuzzer.Seed}-{i}").ToArray();
                var valid = Call(bodies);
                var intact = fuzzer.Chance(0.25);
                await FuzzTcp.ExchangeAsync(endpoint, fuzzer.Pieces(intact ? valid : fuzzer.Mutate(valid)));
                var arrived = pipeline.DrainBodies();
                if (intact)
                {
                    Assert.Equal(bodies, arrived);
                }
            });

            output.WriteLine($"{ran} cases from seed {FuzzRun.Seed}");
            output.WriteLine(await FuzzTcp.AssertMemoryWhileStalledAsync(
                endpoint, [.. Enumerable.Repeat(AnnouncesMaximum(StalledBytes), StalledClients)], source.Counter, baseline, StalledBound,
                $"inside frames announcing {AvroSourceSettings.DefaultMaxFrameBytes} bytes"));
            await AssertServesAsync(endpoint, pipeline, "after the fuzzing");
            output.WriteLine(ManagedMemory.AssertGrowthBelow(baseline, AfterBound, "once every hostile client was gone"));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    private static async Task AssertServesAsync(IPEndPoint endpoint, TestPipeline pipeline, string when)
    {
        var answer = await FuzzTcp.ExchangeAsync(endpoint, [Call("valid-1", "valid-2")]);

        Assert.True(answer.Length > 0, $"no reply to a valid batch {when}");
        Assert.Equal(["valid-1", "valid-2"], pipeline.DrainBodies());
    }

    /// <summary>A first call on a connection: handshake, then appendBatch of one event per body.</summary>
    private static byte[] Call(params string[] bodies)
    {
        var payload = new ArrayBufferWriter<byte>();
        AvroSourceProtocolTests.WriteCall(
            payload, new HandshakeRequest(AvroSourceProtocol.Hash, null, AvroSourceProtocol.Hash), "appendBatch", [.. bodies.Select(b => Event.FromText(b))]);
        var frame = new ArrayBufferWriter<byte>();
        NettyFrameWriter.Encode(frame, 1, payload.WrittenSpan);
        return frame.WrittenSpan.ToArray();
    }

    /// <summary>The start of a frame of one buffer as large as the source allows, and <paramref name="sent"/> bytes of it.</summary>
    private static byte[] AnnouncesMaximum(int sent)
    {
        var bytes = new byte[12 + sent];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 1);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), AvroSourceSettings.DefaultMaxFrameBytes);
        return bytes;
    }
}
