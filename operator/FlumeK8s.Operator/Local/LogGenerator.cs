using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// The application whose log the agent tier tails: appends numbered lines (<c>seq=&lt;n&gt; …</c>) to
/// the input files, round-robin, at a steady rate, whole lines per write so a tailer never sees half
/// a line; up to <c>total</c> lines, or without end.
/// </summary>
internal sealed class LogGenerator(IReadOnlyList<string> files, int rate, long? total, TimeProvider time)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Keeps lines near the size of a short application log line.</summary>
    private const string Padding = "level=INFO app=demo msg=\"an application log line for flumek8s local up\"";

    private long _generated;

    public long Generated => Interlocked.Read(ref _generated);

    public bool Done => total is { } t && Generated >= t;

    /// <summary>When the first line was written; the start of the end-to-end throughput.</summary>
    public DateTimeOffset? Started { get; private set; }

    public static string Line(long seq) => string.Create(CultureInfo.InvariantCulture, $"{SeqToken.Prefix}{seq} {Padding}\n");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var streams = files.Select(f => new FileStream(f, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)).ToList();
        try
        {
            using var timer = new PeriodicTimer(Tick, time);
            var start = time.GetTimestamp();
            Started = time.GetUtcNow();
            var builders = files.Select(_ => new StringBuilder()).ToList();
            do
            {
                var due = (long)(time.GetElapsedTime(start).TotalSeconds * rate);
                if (total is { } t)
                {
                    due = Math.Min(due, t);
                }
                for (var seq = Generated + 1; seq <= due; seq++)
                {
                    builders[(int)((seq - 1) % files.Count)].Append(Line(seq));
                }
                for (var i = 0; i < streams.Count; i++)
                {
                    if (builders[i].Length > 0)
                    {
                        await streams[i].WriteAsync(Encoding.UTF8.GetBytes(builders[i].ToString()), cancellationToken);
                        await streams[i].FlushAsync(cancellationToken);
                        builders[i].Clear();
                    }
                }
                Interlocked.Exchange(ref _generated, Math.Max(Generated, due));
            }
            while (!Done && await timer.WaitForNextTickAsync(cancellationToken));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
