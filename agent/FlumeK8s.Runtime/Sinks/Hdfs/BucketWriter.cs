namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// A bucket (directory + file prefix) the sink writes to: its file counter, seeded with the clock
/// in ms as in Flume, its current file if one is open, and its idle timer.
/// </summary>
internal sealed class BucketWriter(string key, string directory, string prefix, long counterSeed)
{
    private long _counter = counterSeed;

    public string Key { get; } = key;

    public string Directory { get; } = directory;

    public string Prefix { get; } = prefix;

    public BucketFile? File { get; set; }

    public ITimer? IdleTimer { get; set; }

    public long NextCounter() => ++_counter;
}
