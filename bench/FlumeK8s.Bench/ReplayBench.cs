using System.Diagnostics;
using System.Globalization;

namespace FlumeK8s.Bench;

/// <summary>
/// Recovery time: fill a file channel with 5 million events, SIGKILL the agent, and time the restart
/// until the agent serves with every event back in the channel. An agent on an empty channel gives
/// the start-up cost to compare with.
/// </summary>
internal static class ReplayBench
{
    private const long Events = 5_000_000;

    public static async Task RunAsync(int runs, int bodySize)
    {
        var results = new List<(double Restart, double Empty)>();
        for (var i = 0; i < runs; i++)
        {
            var scratch = Directory.CreateTempSubdirectory("flumek8s-replay-").FullName;
            try
            {
                results.Add((await RestartAsync(scratch, bodySize), await EmptyStartAsync(scratch)));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        var restart = Median(results.Select(r => r.Restart));
        var empty = Median(results.Select(r => r.Empty));
        Console.WriteLine();
        Console.WriteLine($"File channel restart after SIGKILL holding {Events:N0} events of {bodySize} bytes, median of {runs}:");
        Console.WriteLine();
        Console.WriteLine("| restart to serving, all events back | start on an empty channel | recovery (difference) |");
        Console.WriteLine("|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {restart:N2} s | {empty:N2} s | {restart - empty:N2} s |"));
    }

    private static async Task<double> RestartAsync(string scratch, int bodySize)
    {
        await using (var filling = await AgentUnderTest.StartAsync(Config(scratch, Events, bodySize)))
        {
            while (await filling.SampleAsync(Size) < Events)
            {
                await Task.Delay(100);
            }
            filling.Kill();
        }
        var clock = Stopwatch.StartNew();
        await using var restarted = await AgentUnderTest.StartAsync(Config(scratch, 0, bodySize));
        var seconds = clock.Elapsed.TotalSeconds;
        var size = await restarted.SampleAsync(Size);
        if (size != Events)
        {
            throw new InvalidOperationException($"recovered {size} events, expected {Events}");
        }
        return seconds;
    }

    private static async Task<double> EmptyStartAsync(string scratch)
    {
        var empty = Path.Combine(scratch, "empty");
        var clock = Stopwatch.StartNew();
        await using var agent = await AgentUnderTest.StartAsync(Config(empty, 0, 0));
        return clock.Elapsed.TotalSeconds;
    }

    private const string Size = "flume_channel_channel_size{component=\"c1\",type=\"file\"}";

    private static string Config(string dir, long events, int bodySize) => $"""
        a1.sources = r1
        a1.channels = c1
        a1.sources.r1.type = seq
        a1.sources.r1.batchSize = 1000
        a1.sources.r1.totalEvents = {events}
        a1.sources.r1.bodySize = {bodySize}
        a1.sources.r1.channels = c1
        {Scenarios.FileChannel(dir, 1000)}
        """;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
