using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// Events big enough that three fill a smallest-allowed log file (1 MiB), so a handful of puts spreads
/// over several files: put n lands in file n / 3 + 1. Bodies are a name, a separator and padding.
/// </summary>
internal static class BigEvents
{
    public const long MaxFileSize = 1024 * 1024;
    public const int PerFile = 3;
    private const int Padding = 300_000;

    public static FileChannelSettings Settings(FileChannelFixture fixture) =>
        fixture.Settings() with { MaxFileSize = MaxFileSize };

    public static string Body(string name) => name + "|" + new string('x', Padding);

    /// <summary>One commit per event.</summary>
    public static Task PutEachAsync(IChannel channel, IEnumerable<string> names) => ChannelSteps.PutEachAsync(channel, names.Select(Body));

    public static async Task<List<string>> TakeAsync(IChannel channel, int max) => NamesOf(await ChannelSteps.TakeAsync(channel, max));

    public static async Task<List<string>> DrainAsync(IChannel channel) => NamesOf(await ChannelSteps.DrainAsync(channel, 5));

    public static List<string> NamesOf(IEnumerable<string> bodies) => [.. bodies.Select(b => b[..b.IndexOf('|', StringComparison.Ordinal)])];
}
