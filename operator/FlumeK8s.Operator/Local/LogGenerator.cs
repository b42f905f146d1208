using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// The application whose log the agent tier tails: appends numbered lines (<c>seq=&lt;n&gt; …</c>) to
/// the input files, round-robin, whole lines per write so a tailer never sees half a line; at a steady
/// rate, or as fast as the files take them (no rate); up to <c>total</c> lines, or without end.
/// Lines are near the size of a short application log line, or exactly <c>lineBytes</c> long (newline
/// included) when given.
/// </summary>
internal sealed class LogGenerator
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Whole lines are gathered per file up to about this many bytes, then written in one call.</summary>
    private const int WriteBytes = 1 << 20;

    /// <summary>Without a rate, lines are made and counted this many at a time.</summary>
    private const int LinesPerRound = 16_384;

    private readonly IReadOnlyList<string> _files;
    private readonly int? _rate;
    private readonly long? _total;
    private readonly TimeProvider _time;
    private readonly int? _lineBytes;
    private long _generated;

    /// <param name="rate">Lines per second, or null for as fast as the files take them (then <paramref name="total"/> is required).</param>
    /// <param name="lineBytes">The exact length of every line, its newline included; null for the short natural line.</param>
    public LogGenerator(IReadOnlyList<string> files, int? rate, long? total, TimeProvider time, int? lineBytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(files.Count, nameof(files));
        if (rate is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "a rate must be positive");
        }
        if (rate is null && total is null)
        {
            throw new ArgumentException("writing as fast as possible needs a total, or it would fill the disk", nameof(total));
        }
        if (lineBytes is < 2 or > MaxLineBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(lineBytes), lineBytes, $"a line is 2 to {MaxLineBytes} bytes");
        }
        _files = files;
        _rate = rate;
        _total = total;
        _time = time;
        _lineBytes = lineBytes;
    }

    public const int MaxLineBytes = 65_536;

    /// <summary>The natural line without its number's digits: what <see cref="Line"/> writes after <c>seq=&lt;n&gt; </c>.</summary>
    private static ReadOnlySpan<byte> Message => "level=INFO app=demo msg=\"an application log line for flumek8s local up\""u8;

    private static ReadOnlySpan<byte> Statuses => "200200200200200304404500"u8;

    public long Generated => Interlocked.Read(ref _generated);

    public bool Done => _total is { } t && Generated >= t;

    /// <summary>When the first line was written; the start of the end-to-end throughput.</summary>
    public DateTimeOffset? Started { get; private set; }

    /// <summary>When the last line was written (a run with a total).</summary>
    public DateTimeOffset? Finished { get; private set; }

    /// <summary>Line number <paramref name="seq"/> as the generator writes it by default.</summary>
    public static string Line(long seq) => Text(seq, null);

    /// <summary>Line number <paramref name="seq"/> as the generator writes it with lines of <paramref name="lineBytes"/>.</summary>
    public static string LineOfLength(long seq, int lineBytes) => Text(seq, lineBytes);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Unbuffered: the generator gathers whole lines itself, and each write reaches the file in one call.
        var streams = _files.Select(f => new FileStream(f, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0)).ToList();
        var buffers = _files.Select(_ => new byte[WriteBytes + LineRoom(_lineBytes)]).ToList();
        try
        {
            Started = _time.GetUtcNow();
            if (_rate is { } rate)
            {
                await AtRateAsync(rate, streams, buffers, cancellationToken);
            }
            else
            {
                while (!Done)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await WriteAsync(Math.Min(_total!.Value, Generated + LinesPerRound), streams, buffers, cancellationToken);
                }
            }
            if (Done)
            {
                Finished = _time.GetUtcNow();
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private async Task AtRateAsync(int rate, List<FileStream> streams, List<byte[]> buffers, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, _time);
        var start = _time.GetTimestamp();
        do
        {
            var due = (long)(_time.GetElapsedTime(start).TotalSeconds * rate);
            if (_total is { } t)
            {
                due = Math.Min(due, t);
            }
            await WriteAsync(due, streams, buffers, cancellationToken);
        }
        while (!Done && await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>Writes the lines after <see cref="Generated"/> up to <paramref name="last"/>, then counts them.</summary>
    private async Task WriteAsync(long last, List<FileStream> streams, List<byte[]> buffers, CancellationToken cancellationToken)
    {
        var filled = new int[streams.Count];
        for (var seq = Generated + 1; seq <= last; seq++)
        {
            var file = (int)((seq - 1) % streams.Count);
            filled[file] += Format(buffers[file].AsSpan(filled[file]), seq, _lineBytes);
            if (filled[file] >= WriteBytes)
            {
                await streams[file].WriteAsync(buffers[file].AsMemory(0, filled[file]), cancellationToken);
                filled[file] = 0;
            }
        }
        for (var file = 0; file < streams.Count; file++)
        {
            if (filled[file] > 0)
            {
                await streams[file].WriteAsync(buffers[file].AsMemory(0, filled[file]), cancellationToken);
            }
        }
        Interlocked.Exchange(ref _generated, Math.Max(Generated, last));
    }

    /// <summary>
    /// Writes line <paramref name="seq"/> into <paramref name="destination"/> and returns its length. A line
    /// of a given length carries, after the natural line, fields that vary from line to line (a trace id,
    /// a user, a status, a latency, as an application's would) so that it compresses as a log does, not as
    /// a run of one character; it is cut to the length, never inside its <c>seq=</c> number.
    /// </summary>
    private static int Format(Span<byte> destination, long seq, int? lineBytes)
    {
        var length = Append(destination, 0, "seq="u8);
        Utf8Formatter.TryFormat(seq, destination[length..], out var digits);
        length += digits;
        var minimum = length + 1;
        destination[length++] = (byte)' ';
        length = Append(destination, length, Message);
        if (lineBytes is { } target)
        {
            var hash = Mix(seq);
            while (length < target - 1)
            {
                length = Append(destination, length, " trace="u8);
                Utf8Formatter.TryFormat(hash, destination[length..], out var hex, new System.Buffers.StandardFormat('x', 16));
                length += hex;
                length = Append(destination, length, " user=u"u8);
                Utf8Formatter.TryFormat((hash >> 20) % 100_000, destination[length..], out var user);
                length += user;
                length = Append(destination, length, " status="u8);
                length = Append(destination, length, Statuses.Slice((int)(hash % 8) * 3, 3));
                length = Append(destination, length, " ms="u8);
                Utf8Formatter.TryFormat((hash >> 40) % 1000, destination[length..], out var ms);
                length += ms;
                length = Append(destination, length, " "u8);
                length = Append(destination, length, Message);
                hash = Mix(hash);
            }
            length = Math.Max(target - 1, minimum - 1);
        }
        destination[length++] = (byte)'\n';
        return length;
    }

    private static string Text(long seq, int? lineBytes)
    {
        var buffer = new byte[LineRoom(lineBytes)];
        return Encoding.UTF8.GetString(buffer, 0, Format(buffer, seq, lineBytes));
    }

    /// <summary>Room for one line while it is made: the natural line, or the length plus one round of fields past it.</summary>
    private static int LineRoom(int? lineBytes) => (lineBytes ?? 0) + 256;

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    /// <summary>A cheap, fixed scramble of a number (SplitMix64's finaliser): the same line for the same seq, every run.</summary>
    private static ulong Mix(long seq) => Mix((ulong)seq);

    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9UL;
        value = (value ^ (value >> 27)) * 0x94d049bb133111ebUL;
        return value ^ (value >> 31);
    }
}
