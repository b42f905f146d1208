using Grpc.Core;
using System.Net;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Tests.Support;
using Google.Protobuf;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

public sealed class GrpcSourceTests
{
    private static readonly byte[] ValidBatch = new Proto.EventBatch
    {
        Events = { new Proto.Event { Body = ByteString.CopyFromUtf8("good"), Headers = { ["h"] = "v" } } },
    }.ToByteArray();

    public static TheoryData<string, byte[], int> BadFrames => new()
    {
        // Framing errors are grpc-dotnet's to answer, with its statuses (INTERNAL for a broken frame,
        // UNKNOWN for a bad flag byte); a message that is not an EventBatch is the source's (INVALID_ARGUMENT).
        { "truncated header", [0, 0, 0], (int)StatusCode.Internal },
        { "truncated message", RawGrpcCall.Frame(ValidBatch[..4], declaredLength: ValidBatch.Length), (int)StatusCode.Internal },
        { "empty body", [], (int)StatusCode.Internal },
        { "garbage protobuf", RawGrpcCall.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]), (int)StatusCode.InvalidArgument },
        { "protobuf field running past the message", RawGrpcCall.Frame([0x0A, 0x05, 0x12, 0x10, 0x41]), (int)StatusCode.InvalidArgument },
        { "garbage bytes", [0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54, 0x54, 0x50], (int)StatusCode.Unknown },
        { "oversized", RawGrpcCall.Frame(new byte[10], declaredLength: 20_000), (int)StatusCode.ResourceExhausted },
        { "two messages", [.. RawGrpcCall.Frame(ValidBatch), .. RawGrpcCall.Frame(ValidBatch)], (int)StatusCode.Internal },
        { "compressed without encoding", RawGrpcCall.Frame(ValidBatch, flag: 1), (int)StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task AppendBatch_BadFrame_ErrorStatusNothingWrittenAndStillServing(string what, byte[] body, int expected)
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline, "maxMessageBytes=10000");
        try
        {
            var (http, status, message) = await RawGrpcCall.SendAsync(source.Port, body);

            Assert.Equal(HttpStatusCode.OK, http);
            Assert.True(expected == status, $"{what}: expected status {expected}, got {status} ({message})");
            Assert.Empty(pipeline.Drain());
            Assert.Equal(1, source.Counter.Get("EventReadFail"));
            await AssertStillServesAsync(source, pipeline);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_GzipThatExpandsPastTheLimit_ResourceExhausted()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline, "maxMessageBytes=10000");
        try
        {
            var huge = new Proto.EventBatch { Events = { new Proto.Event { Body = ByteString.CopyFrom(new byte[1_000_000]) } } }.ToByteArray();
            var (_, status, message) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(RawGrpcCall.Gzip(huge), flag: 1), encoding: "gzip");

            Assert.Equal((int)StatusCode.ResourceExhausted, status);
            Assert.Contains("larger than max", message, StringComparison.Ordinal);
            Assert.Empty(pipeline.Drain());
            await AssertStillServesAsync(source, pipeline);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_GzipBatch_Accepted()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var (_, status, _) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(RawGrpcCall.Gzip(ValidBatch), flag: 1), encoding: "gzip");

            Assert.Equal(0, status);
            var events = pipeline.Drain();
            Assert.Equal("v", Assert.Single(events).GetHeader("h"));
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Request_WrongContentType_Http415AndNothingWritten()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var (http, status, message) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(ValidBatch), contentType: "application/json");

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, http);
            Assert.Equal((int)StatusCode.Internal, status);
            Assert.Contains("application/json", message, StringComparison.Ordinal);
            Assert.Empty(pipeline.Drain());
            await AssertStillServesAsync(source, pipeline);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task Request_UnknownMethodOrEncoding_Unimplemented()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var unknownMethod = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(ValidBatch), path: "/flumek8s.v1.Hop/Nope");
            var unknownEncoding = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(ValidBatch, flag: 1), encoding: "snappy");

            Assert.Equal((int)StatusCode.Unimplemented, unknownMethod.Grpc);
            Assert.Equal((int)StatusCode.Unimplemented, unknownEncoding.Grpc);
            Assert.Empty(pipeline.Drain());
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_ChannelFull_ResourceExhaustedNothingPartialAndAcceptsOnceDrained()
    {
        var pipeline = new TestPipeline(capacity: 3, transactionCapacity: 10);
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var four = new Proto.EventBatch();
            four.Events.Add(Enumerable.Range(0, 4).Select(i => new Proto.Event { Body = ByteString.CopyFromUtf8($"e{i}") }));

            var refused = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(four.ToByteArray()));
            Assert.Equal((int)StatusCode.ResourceExhausted, refused.Grpc);
            Assert.Empty(pipeline.Drain());
            Assert.Equal(1, source.Counter.ChannelWriteFails);

            var three = new Proto.EventBatch();
            three.Events.Add(four.Events.Take(3));
            var accepted = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(three.ToByteArray()));
            Assert.Equal(0, accepted.Grpc);
            Assert.Equal(["e0", "e1", "e2"], pipeline.DrainBodies());
            Assert.Equal(2, source.Counter.Get("AppendBatchReceivedCount"));
            Assert.Equal(1, source.Counter.Get("AppendBatchAcceptedCount"));
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_MoreEventsThanTransactionCapacity_AcknowledgedOnceAllAreCommitted()
    {
        var pipeline = new TestPipeline(capacity: 1000, transactionCapacity: 10);
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var batch = new Proto.EventBatch();
            batch.Events.Add(Enumerable.Range(0, 250).Select(i => new Proto.Event { Body = ByteString.CopyFromUtf8($"e{i}") }));

            var (_, status, message) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(batch.ToByteArray()));

            Assert.True(status == 0, $"status {status}: {message}");
            Assert.Equal(Enumerable.Range(0, 250).Select(i => $"e{i}"), pipeline.DrainBodies());
            Assert.Equal(0, source.Counter.ChannelWriteFails);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_RequestStallsPastGrpcTimeout_DeadlineExceededNothingWritten()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            using var http = RawGrpcCall.Client();
            using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            using var response = await RawGrpcCall.SendStalledAsync(http, source.Port, RawGrpcCall.Frame(ValidBatch)[..8], stalled.Token, timeout: "200m")
                .WaitAsync(TimeSpan.FromSeconds(20));
            await stalled.CancelAsync();

            Assert.Equal("4", response.Headers.GetValues("grpc-status").Single());
            Assert.Empty(pipeline.Drain());
            await AssertStillServesAsync(source, pipeline);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_GrpcTimeoutLongerThanATimerCanRun_ClampedAndAccepted()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var (http, status, message) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(ValidBatch), timeout: "99999999S");

            Assert.Equal(HttpStatusCode.OK, http);
            Assert.True(status == 0, $"status {status}: {message}");
            Assert.Equal(["good"], pipeline.DrainBodies());
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    [Fact]
    public async Task AppendBatch_MessageWouldPassInFlightBudget_ResourceExhaustedAtOnceAndServesOnceFreed()
    {
        var pipeline = new TestPipeline();
        var source = await GrpcHarness.StartSourceAsync(pipeline, "maxMessageBytes=100000", "maxInFlightBytes=100000");
        try
        {
            using var http = RawGrpcCall.Client();
            using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var pending = RawGrpcCall.SendStalledAsync(http, source.Port, RawGrpcCall.Frame(new byte[40_000], declaredLength: 100_000), stalled.Token);
            await Eventually.TrueAsync(() => source.InFlightBytes >= 40_000, "the stalled call's bytes to be held");

            var (_, status, message) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(new byte[60_000]));

            Assert.Equal((int)StatusCode.ResourceExhausted, status);
            Assert.Contains("maxInFlightBytes", message, StringComparison.Ordinal);
            await stalled.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => pending.WaitAsync(TimeSpan.FromSeconds(20)));
            await Eventually.TrueAsync(() => source.InFlightBytes == 0, "the stalled call's bytes to be given back");
            await AssertStillServesAsync(source, pipeline);
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    private static async Task AssertStillServesAsync(GrpcSource source, TestPipeline pipeline)
    {
        var (_, status, message) = await RawGrpcCall.SendAsync(source.Port, RawGrpcCall.Frame(ValidBatch));
        Assert.True(status == 0, $"a valid call after the bad one failed: {status} {message}");
        Assert.Equal(["good"], pipeline.DrainBodies());
    }
}
