using System.Text;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Tests.Support.Fuzz;
using Xunit.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

/// <summary>
/// Hostile clients against a real syslogtcp source: mutated messages in both framings, huge
/// octet counts, lines past eventSize, bytes one at a time, and clients that stall inside a
/// message. The source must keep serving, and hold no more than eventSize per connection.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class SyslogTcpFuzzTests(ITestOutputHelper output)
{
    private const int EventSize = 2500;
    private const int StalledClients = 40;
    private const long StalledBound = 16L << 20;
    private const long AfterBound = 16L << 20;

    private static readonly string[] Hostile = ["999999999 <13>", "1 <", new string('x', 3 * EventSize), "<13>" + new string('y', EventSize + 1) + "\r", "\r\n\n\n"];

    [Fact]
    public async Task HostileClients_SourceKeepsServingAndMemoryStaysBounded()
    {
        var pipeline = new TestPipeline(capacity: 100_000, transactionCapacity: 10_000);
        var source = new SyslogTcpSource(
            "r1", new SyslogTcpSourceSettings("127.0.0.1", 0, EventSize, SyslogKeepFields.None, null, null), pipeline.Processor, pipeline.Services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        try
        {
            await AssertServesAsync(source, pipeline, "warm-up");
            var baseline = ManagedMemory.Collected();

            var ran = await FuzzRun.CasesAsync("syslogtcp", cases: 1000, budget: TimeSpan.FromSeconds(5), async fuzzer =>
            {
                var markers = Enumerable.Range(0, fuzzer.Next(1, 10)).Select(i => $"case{fuzzer.Seed}-{i}").ToArray();
                var intact = fuzzer.Chance(0.25);
                var valid = Messages(markers);
                var bytes = intact ? valid : [.. fuzzer.Mutate(valid), .. Encoding.ASCII.GetBytes(fuzzer.Pick(Hostile))];

                // The source answers nothing; it closes once it has read the end and delivered every message.
                await FuzzTcp.ExchangeAsync(source.LocalEndpoint, fuzzer.Pieces(bytes));

                var arrived = pipeline.DrainBodies();
                if (intact)
                {
                    Assert.Equal(markers.Length, arrived.Count);
                    Assert.All(markers.Zip(arrived), pair => Assert.EndsWith(pair.First, pair.Second, StringComparison.Ordinal));
                }
            });
            output.WriteLine($"{ran} cases from seed {FuzzRun.Seed}");

            // Inside a message that claims 999999999 bytes, or a line not yet at eventSize: nothing to deliver yet.
            var starts = Enumerable.Range(0, StalledClients)
                .Select(i => Encoding.ASCII.GetBytes(i % 2 == 0 ? "999999999 <13>" + new string('c', EventSize - 100) : "<13>" + new string('l', EventSize - 100)))
                .ToList();
            output.WriteLine(await FuzzTcp.AssertMemoryWhileStalledAsync(source.LocalEndpoint, starts, source.Counter, baseline, StalledBound, "inside messages"));
            // Closing ended each held message: they arrived, cut short.
            pipeline.Drain();
            await AssertServesAsync(source, pipeline, "after the fuzzing");
            output.WriteLine(ManagedMemory.AssertGrowthBelow(baseline, AfterBound, "once every hostile client was gone"));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    private static async Task AssertServesAsync(SyslogTcpSource source, TestPipeline pipeline, string when)
    {
        await FuzzTcp.ExchangeAsync(source.LocalEndpoint, [Messages("valid-1", "valid-2")]);

        var arrived = pipeline.DrainBodies();
        Assert.True(arrived.Count == 2 && arrived[0].EndsWith("valid-1", StringComparison.Ordinal), $"valid messages {when} arrived as [{string.Join(", ", arrived)}]");
    }

    /// <summary>One message per marker, alternating RFC 3164 lines and octet-counted RFC 5424.</summary>
    private static byte[] Messages(params string[] markers)
    {
        var text = new StringBuilder();
        for (var i = 0; i < markers.Length; i++)
        {
            if (i % 2 == 0)
            {
                text.Append($"<13>Oct 11 22:14:15 web1 app: {markers[i]}\n");
            }
            else
            {
                var message = $"<34>1 2003-10-11T22:14:15.003Z db1 app - - - {markers[i]}";
                text.Append($"{Encoding.UTF8.GetByteCount(message)} {message}");
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
