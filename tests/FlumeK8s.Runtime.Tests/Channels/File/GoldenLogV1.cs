using System.Globalization;
using System.Runtime.CompilerServices;
using FlumeK8s.Runtime.Events;

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

    public static string Describe(Event @event) =>
        string.Join(",", @event.HeadersOrEmpty.Select(h => $"{h.Key}={h.Value}")) + "|" + System.Text.Encoding.UTF8.GetString(@event.Body);

    public static string Describe(int i) => string.Join(",", Headers(i).Select(h => $"{h.Key}={h.Value}")) + "|" + Body(i);
}
