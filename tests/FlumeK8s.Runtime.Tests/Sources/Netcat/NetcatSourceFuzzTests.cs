using System.Net;
using System.Text;
using FlumeK8s.Runtime.Sources.Netcat;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Tests.Support.Fuzz;
using Xunit.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sources.Netcat;

/// <summary>
/// Hostile clients against a real netcat source: mutated lines, binary, lines far past
/// max-line-length, bytes one at a time, and clients that stall inside a line. Every intact line
/// is acknowledged, the source keeps serving, and it holds no more than a line per connection.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class NetcatSourceFuzzTests(ITestOutputHelper output)
{
    private const int MaxLineLength = 512;
    private const int StalledClients = 40;
    private const long StalledBound = 16L << 20;
    private const long AfterBound = 16L << 20;

    [Fact]
    public async Task HostileClients_SourceKeepsServingAndMemoryStaysBounded()
    {
        var pipeline = new TestPipeline(capacity: 100_000, transactionCapacity: 10_000);
        var (context, problems) = TestPipeline.Context("bind=127.0.0.1", "port=0", $"max-line-length={MaxLineLength}");
        var source = new NetcatSource("r1", NetcatSourceSettings.Read(context), pipeline.Processor, pipeline.Services);
        Assert.Empty(problems.Errors);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        var endpoint = new IPEndPoint(IPAddress.Loopback, source.Port);
        try
        {
            await AssertServesAsync(endpoint, pipeline, "warm-up");
            var baseline = ManagedMemory.Collected();

            var ran = await FuzzRun.CasesAsync("netcat", cases: 1000, budget: TimeSpan.FromSeconds(5), async fuzzer =>
            {
                var lines = Enumerable.Range(0, fuzzer.Next(1, 20)).Select(i => $"case{fuzzer.Seed}-{i}").ToArray();
                var intact = fuzzer.Chance(0.25);
                var valid = Lines(lines);
                var bytes = intact ? valid : [.. fuzzer.Mutate(valid), .. fuzzer.Chance(0.3) ? fuzzer.Bytes(fuzzer.Next(MaxLineLength, 8 * MaxLineLength)) : []];

                var answer = Encoding.UTF8.GetString(await FuzzTcp.ExchangeAsync(endpoint, fuzzer.Pieces(bytes)));

                var arrived = pipeline.DrainBodies();
                if (intact)
                {
                    Assert.Equal(string.Concat(lines.Select(_ => "OK\n")), answer);
                    Assert.Equal(lines, arrived);
                }
            });
            output.WriteLine($"{ran} cases from seed {FuzzRun.Seed}");

            // A line just under the limit is held until its newline; a far longer one is skipped as it comes.
            var starts = Enumerable.Range(0, StalledClients)
                .Select(i => Encoding.ASCII.GetBytes(new string('s', i % 2 == 0 ? MaxLineLength - 2 : 100 * MaxLineLength)))
                .ToList();
            output.WriteLine(await FuzzTcp.AssertMemoryWhileStalledAsync(endpoint, starts, source.Counter, baseline, StalledBound, "inside lines"));
            // Closing sent each held line as a last line without its newline, as netcat takes it.
            pipeline.Drain();
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
        var answer = Encoding.UTF8.GetString(await FuzzTcp.ExchangeAsync(endpoint, [Lines("valid-1", "valid-2")]));

        Assert.True(answer == "OK\nOK\n", $"valid lines {when} were answered '{answer}'");
        Assert.Equal(["valid-1", "valid-2"], pipeline.DrainBodies());
    }

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
}
