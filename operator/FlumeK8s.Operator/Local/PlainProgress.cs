using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Local;

/// <summary>Progress without a terminal (output redirected, CI): one line per tier state every two seconds.</summary>
internal sealed class PlainProgress(TextWriter output, TimeProvider time) : IProgressView
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    public async Task RunAsync(Func<Action<RunStatus>, Task> body)
    {
        long? last = null;
        string? lastPhase = null;
        await body(status =>
        {
            var now = time.GetTimestamp();
            if (last is { } l && time.GetElapsedTime(l) < Every && status.Phase == lastPhase)
            {
                return;
            }
            last = now;
            lastPhase = status.Phase;
            output.WriteLine(Line(status));
            output.Flush();
        });
    }

    public static string Line(RunStatus status)
    {
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"[{status.Elapsed.TotalSeconds,5:F0}s] {status.Phase}"));
        foreach (var tier in status.Processes.GroupBy(p => p.Tier))
        {
            var up = tier.Count(p => p.State == "running");
            line.Append(CultureInfo.InvariantCulture,
                $" | {tier.Key} {up}/{tier.Count()} in={tier.Sum(p => p.Counters.In)} out={tier.Sum(p => p.Counters.Out)} channel={tier.Sum(p => p.Counters.ChannelSize)}");
            if (tier.Sum(p => p.Kills) is > 0 and var kills)
            {
                line.Append(CultureInfo.InvariantCulture, $" killed={kills}");
            }
        }
        line.Append(CultureInfo.InvariantCulture, $" | generated={status.Generated}");
        if (status.Delivered is { } delivered)
        {
            line.Append(CultureInfo.InvariantCulture, $" delivered={delivered}/{status.Expected}");
        }
        line.Append(CultureInfo.InvariantCulture, $" end-to-end={status.EndToEndRate:F0}/s");
        return line.ToString();
    }
}
