using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Tests.Support.Fuzz;
using Xunit.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

/// <summary>
/// Hostile datagrams against a real syslogudp source: mutated messages, garbage, empty datagrams
/// and the largest UDP payload. After each case a marked message must still arrive, and the
/// source holds nothing once its events are taken.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class SyslogUdpFuzzTests(ITestOutputHelper output)
{
    private const int MaxDatagram = 65507;
    private const long AfterBound = 16L << 20;

    [Fact]
    public async Task HostileDatagrams_SourceKeepsServingAndMemoryStaysBounded()
    {
        var pipeline = new TestPipeline(capacity: 100_000, transactionCapacity: 10_000);
        var source = new SyslogUdpSource("r1", new SyslogUdpSourceSettings("127.0.0.1", 0, SyslogKeepFields.None, null, null), pipeline.Processor, pipeline.Services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        try
        {
            await AssertServesAsync(client, source, pipeline, "warm-up");
            var baseline = ManagedMemory.Collected();

            var ran = await FuzzRun.CasesAsync("syslogudp", cases: 400, budget: TimeSpan.FromSeconds(5), async fuzzer =>
            {
                var valid = Encoding.UTF8.GetBytes($"<165>1 2003-10-11T22:14:15.003Z host app - - - case{fuzzer.Seed}\n");
                var datagram = fuzzer.Next(5) switch
                {
                    0 => [],
                    1 => fuzzer.Bytes(fuzzer.Next(MaxDatagram - 64, MaxDatagram + 1)),
                    _ => fuzzer.Mutate(valid),
                };
                await client.SendAsync(datagram, source.LocalEndpoint!).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

                // Datagrams are handled in order: once a marked one arrives, this case's was handled.
                await AssertServesAsync(client, source, pipeline, $"after a datagram of {datagram.Length} bytes");
            });
            output.WriteLine($"{ran} cases from seed {FuzzRun.Seed}");
            output.WriteLine(ManagedMemory.AssertGrowthBelow(baseline, AfterBound, "once every hostile datagram was handled"));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    /// <summary>Sends a marked message until it arrives (UDP may drop one), taking every event before it.</summary>
    private static async Task AssertServesAsync(UdpClient client, SyslogUdpSource source, TestPipeline pipeline, string when)
    {
        var marker = "valid-" + Guid.NewGuid().ToString("N");
        var message = Encoding.UTF8.GetBytes($"<13>Oct 11 22:14:15 web1 app: {marker}\n");
        var resendAt = DateTime.UtcNow;
        await Eventually.TrueAsync(async () =>
        {
            if (DateTime.UtcNow >= resendAt)
            {
                await client.SendAsync(message, source.LocalEndpoint!);
                resendAt = DateTime.UtcNow.AddMilliseconds(500);
            }
            return pipeline.DrainBodies().Any(b => b.EndsWith(marker, StringComparison.Ordinal));
        }, $"a valid message {when}", TimeSpan.FromSeconds(10));
    }
}
