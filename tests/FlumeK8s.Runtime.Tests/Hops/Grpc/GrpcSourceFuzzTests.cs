using System.Buffers.Binary;
using System.Net;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Tests.Support.Fuzz;
using Google.Protobuf;
using Xunit.Abstractions;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>
/// Hostile calls against a real grpc source: mutated and truncated frames, compressed or not,
/// odd grpc-timeouts, bodies sent a byte per DATA frame, and streams that announce the largest
/// message and then stall. Every call must end with a grpc-status, the source must keep serving,
/// and it must hold only about what callers actually sent.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class GrpcSourceFuzzTests(ITestOutputHelper output)
{
    private const int StalledStreams = 100;

    /// <summary>What each stalled stream sends: a gRPC header announcing the largest message, and ten bytes of it.</summary>
    private const int AnnouncingBytes = 5 + 10;

    // 100 stalled streams hold what they sent, plus Kestrel's buffers for them. A source that
    // allocated the announced 16 MiB per stream would need 1.6 GiB.
    private const long StalledBound = 64L << 20;
    private const long AfterBound = 16L << 20;

    private static readonly string?[] AnyTimeout = [null, null, "5S", "99999999S", "99999999H", "1n", "0m", "garbage", "123456789S"];
    private static readonly string?[] RoomyTimeout = [null, "5S", "99999999S", "99999999H"];
    private static readonly string?[] AnyEncoding = [null, null, "identity", "gzip", "snappy"];

    [Fact]
    public async Task HostileCalls_EveryCallAnsweredSourceKeepsServingAndMemoryStaysBounded()
    {
        var pipeline = new TestPipeline(capacity: 100_000, transactionCapacity: 10_000);
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            await AssertServesAsync(source, pipeline, "warm-up");
            var baseline = ManagedMemory.Collected();

            var ran = await FuzzRun.CasesAsync("grpc", cases: 1000, budget: TimeSpan.FromSeconds(5), async fuzzer =>
            {
                var bodies = Enumerable.Range(0, fuzzer.Next(1, 20)).Select(i => $"case{fuzzer.Seed}-{i}").ToArray();
                var intact = fuzzer.Chance(0.25);
                var gzip = fuzzer.Chance(0.2);
                var message = Batch(bodies);
                var frame = gzip ? RawGrpcCall.Frame(RawGrpcCall.Gzip(message), flag: 1) : RawGrpcCall.Frame(message);
                var encoding = gzip ? "gzip" : fuzzer.Pick(AnyEncoding);
                var timeout = fuzzer.Pick(intact ? RoomyTimeout : AnyTimeout);
                var body = intact ? frame : fuzzer.Mutate(frame);

                var (http, status, detail) = await RawGrpcCall.SendAsync(
                    source.Port, new TrickleContent(fuzzer.Pieces(body)), encoding: encoding, timeout: timeout);

                Assert.True(http == HttpStatusCode.OK && status is not null, $"HTTP {(int)http} with grpc-status {status?.ToString() ?? "none"}: {detail}");
                var arrived = pipeline.DrainBodies();
                if (intact && (encoding is null || gzip || encoding == "identity"))
                {
                    Assert.True(status == 0, $"an intact call failed with {status}: {detail}");
                    Assert.Equal(bodies, arrived);
                }
            });
            output.WriteLine($"{ran} cases from seed {FuzzRun.Seed}");

            using (var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                // Two connections: one carries at most 100 concurrent streams.
                using var first = RawGrpcCall.Client();
                using var second = RawGrpcCall.Client();
                var calls = Enumerable.Range(0, StalledStreams)
                    .Select(i => RawGrpcCall.SendStalledAsync(i % 2 == 0 ? first : second, source.Port, AnnouncesMaximum(), stalled.Token))
                    .ToList();
                await Eventually.TrueAsync(() => source.InFlightBytes >= StalledStreams * AnnouncingBytes, "every stalled stream's first bytes to arrive");
                output.WriteLine(ManagedMemory.AssertGrowthBelow(
                    baseline, StalledBound, $"with {StalledStreams} streams stalled after announcing {GrpcSourceSettings.DefaultMaxMessageBytes} bytes"));
                await stalled.CancelAsync();
                await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
            }

            await Eventually.TrueAsync(() => source.InFlightBytes == 0, "the stalled streams' bytes to be given back");
            await AssertServesAsync(source, pipeline, "after the fuzzing");
            output.WriteLine(ManagedMemory.AssertGrowthBelow(baseline, AfterBound, "once every hostile call was gone"));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    private static async Task AssertServesAsync(GrpcSource source, TestPipeline pipeline, string when)
    {
        var (_, status, detail) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(Batch("valid-1", "valid-2")));

        Assert.True(status == 0, $"a valid call {when} failed with {status}: {detail}");
        Assert.Equal(["valid-1", "valid-2"], pipeline.DrainBodies());
    }

    private static byte[] Batch(params string[] bodies)
    {
        var batch = new Proto.EventBatch();
        batch.Events.Add(bodies.Select(b => new Proto.Event { Body = ByteString.CopyFromUtf8(b), Headers = { ["k"] = b } }));
        return batch.ToByteArray();
    }

    /// <summary>A frame header announcing the largest message the source takes, and ten bytes of it.</summary>
    private static byte[] AnnouncesMaximum()
    {
        var bytes = new byte[AnnouncingBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), GrpcSourceSettings.DefaultMaxMessageBytes);
        return bytes;
    }
}
