namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// When a bucket's file is finished and the next one started: after <c>hdfs.rollCount</c> events or
/// <c>hdfs.rollSize</c> body bytes (0 turns either off), and <c>hdfs.rollInterval</c> after it was
/// opened (a timer the bucket writer arms). A policy: it looks at counts, never at files.
/// </summary>
internal sealed record RollPolicy(long Count, long Size, TimeSpan Interval)
{
    public static RollPolicy From(HdfsSinkSettings settings) => new(settings.RollCount, settings.RollSize, settings.RollInterval);

    /// <summary>Whether a file holding <paramref name="events"/> events of <paramref name="bodyBytes"/> body bytes is full.</summary>
    public bool IsFull(long events, long bodyBytes) =>
        (Count > 0 && events >= Count) || (Size > 0 && bodyBytes >= Size);

    public bool IsFull(BucketFile file) => IsFull(file.EventCount, file.BodyBytes);

    /// <summary>Whether files are also finished by age (<c>hdfs.rollInterval</c> &gt; 0).</summary>
    public bool RollsByTime => Interval > TimeSpan.Zero;
}
