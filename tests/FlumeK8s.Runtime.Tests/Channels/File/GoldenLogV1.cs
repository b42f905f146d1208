using System.Globalization;
using System.Runtime.CompilerServices;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;
using static FlumeK8s.Runtime.Tests.Channels.File.ChannelSteps;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// The channel directory written by log format version 1 (TestData/log-v1, its README says how) and
/// the events a correct replay of it gives.
/// </summary>
internal static class GoldenLogV1
{
    public static string Directory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "TestData", "log-v1");

    /// <summary>Copies the golden checkpoint and log files into <paramref name="fixture"/>'s directories.</summary>
    public static void CopyInto(FileChannelFixture fixture)
    {
        System.IO.Directory.CreateDirectory(fixture.CheckpointDir);
        System.IO.Directory.CreateDirectory(fixture.DataDir);
        System.IO.File.Copy(Path.Combine(Directory(), "checkpoint", "checkpoint"), fixture.CheckpointPath);
        foreach (var log in System.IO.Directory.EnumerateFiles(Path.Combine(Directory(), "data"), "log-*"))
        {
            System.IO.File.Copy(log, Path.Combine(fixture.DataDir, Path.GetFileName(log)));
        }
    }

    /// <summary>
    /// Runs the steps of the README's table on a new channel in <paramref name="scope"/> and returns
    /// what the crash left (the last block cut in half), as the golden files were made.
    /// </summary>
    public static async Task<FileChannelFixture> WriteAsync(FileChannelScope scope)
    {
        var channel = await scope.OpenAsync(scope.Fixture.Settings() with { MaxFileSize = 2048 });
        await PutRangeAsync(channel, 0, 10);
        await PutRangeAsync(channel, 10, 10);
        await PutRangeAsync(channel, 20, 10);
        Assert.Equal(10, (await TakeAsync(channel, 10)).Count);
        await channel.CheckpointAsync(force: true);
        await PutRangeAsync(channel, 30, 10);
        await PutRangeAsync(channel, 40, 10);
        Assert.Equal(5, (await TakeAsync(channel, 5)).Count);
        using var openTake = BeginTake(channel, 5, out _);
        using var openPut = channel.BeginTransaction();
        openPut.PutBatch([.. Enumerable.Range(900, 5).Select(Event)]);
        await PutRangeAsync(channel, 50, 10);
        var crashed = scope.Crash();
        var lastLog = crashed.LogFiles.Last();
        var last = LogSurgery.Blocks(lastLog)[^1];
        LogSurgery.Truncate(lastLog, last.Offset + last.Length / 2);
        return crashed;
    }

    public static Event Event(int i) => new(System.Text.Encoding.UTF8.GetBytes(Body(i)), Headers(i));

    /// <summary>Events 15–49, in order: what survives of the golden run.</summary>
    public static IEnumerable<int> Survivors => Enumerable.Range(15, 35);

    public static string Body(int i) => $"golden-{i:D3}" + (i % 7 == 0 ? " größer" : "");

    public static Dictionary<string, string> Headers(int i)
    {
        var headers = new Dictionary<string, string> { ["seq"] = i.ToString(CultureInfo.InvariantCulture) };
        if (i % 5 == 0)
        {
            headers["zone"] = "eu-west-é";
        }
        return headers;
    }

    private static async Task PutRangeAsync(FileChannel channel, int from, int count)
    {
        using var put = channel.BeginTransaction();
        put.PutBatch([.. Enumerable.Range(from, count).Select(Event)]);
        await Eventually.Within(put.CommitAsync(CancellationToken.None).AsTask());
    }

    public static string Describe(Event @event) =>
        string.Join(",", @event.HeadersOrEmpty.Select(h => $"{h.Key}={h.Value}")) + "|" + System.Text.Encoding.UTF8.GetString(@event.Body);

    public static string Describe(int i) => string.Join(",", Headers(i).Select(h => $"{h.Key}={h.Value}")) + "|" + Body(i);
}
