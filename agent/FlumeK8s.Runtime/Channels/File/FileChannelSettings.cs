using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>The file channel's properties: Flume's names and defaults, plus <c>cacheBytes</c> (ours).</summary>
public sealed record FileChannelSettings(
    string CheckpointDir,
    IReadOnlyList<string> DataDirs,
    int Capacity = 1_000_000,
    int TransactionCapacity = 10_000,
    TimeSpan? CheckpointInterval = null,
    long MaxFileSize = 2_146_435_071,
    long MinimumRequiredSpace = 524_288_000,
    TimeSpan? KeepAlive = null,
    bool UseDualCheckpoints = false,
    string? BackupCheckpointDir = null,
    bool FsyncPerTransaction = true,
    TimeSpan? FsyncInterval = null,
    bool CheckpointOnClose = true,
    long CacheBytes = 64L * 1024 * 1024,
    bool DeferTakeFsync = FileChannelSettings.DefaultDeferTakeFsync,
    TimeSpan? DeferTakeFsyncMaxDelay = null) : IChannelSettings
{
    /// <summary>
    /// Off. On, a take commit returns once its block is written and the next fsync (a put's, or the
    /// timer's) makes it durable. Measured in bench/README.md ("Sink batches in flight and deferred
    /// take fsync"): with two sink batches in flight it added nothing on the hdfs path and cost the
    /// null path CPU per event (an eager sink takes smaller batches, each a TAKE block); with one
    /// batch in flight it paid on hdfs, where batches in flight pay more.
    /// </summary>
    public const bool DefaultDeferTakeFsync = false;

    /// <summary>Offsets inside a log file are 32-bit in a pointer, so a file stays below 4 GiB.</summary>
    public const long MaxFileSizeLimit = uint.MaxValue - 64L * 1024 * 1024;

    public TimeSpan CheckpointIntervalOrDefault => CheckpointInterval ?? TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveOrDefault => KeepAlive ?? TimeSpan.FromSeconds(3);

    public TimeSpan FsyncIntervalOrDefault => FsyncInterval ?? TimeSpan.FromSeconds(5);

    public TimeSpan DeferTakeFsyncMaxDelayOrDefault => DeferTakeFsyncMaxDelay ?? TimeSpan.FromMilliseconds(100);

    /// <summary>Whether take commits skip waiting for their fsync (only meaningful when each commit is fsync'ed at all).</summary>
    public bool DefersTakeFsync => FsyncPerTransaction && DeferTakeFsync;

    /// <param name="sizes">Given by a channel that embeds a file channel and owns <c>capacity</c> and
    /// <c>transactionCapacity</c> itself (spillablememory); those keys are then not read here.</param>
    public static FileChannelSettings Read(ComponentContext context, string agentName, string channelName,
        (int Capacity, int TransactionCapacity)? sizes = null)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultRoot = Path.Combine(home, ".flume", "file-channel", agentName, channelName);
        var checkpointDir = context.GetString("checkpointDir", Path.Combine(defaultRoot, "checkpoint"));
        var dataDirs = context.GetString("dataDirs", Path.Combine(defaultRoot, "data"))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (capacity, transactionCapacity) = sizes ?? ChannelSizes.Read(context, 1_000_000, 10_000);
        var dual = context.GetBool("useDualCheckpoints", false);
        var backup = context.GetString("backupCheckpointDir");
        if (dual && backup is null)
        {
            context.Error("backupCheckpointDir", "useDualCheckpoints is true, so backupCheckpointDir is required");
        }
        if (backup is not null && SamePath(backup, checkpointDir))
        {
            context.Error("backupCheckpointDir", "the backup checkpoint directory must differ from checkpointDir");
        }
        if (dataDirs.Length == 0)
        {
            context.Error("dataDirs", "at least one data directory is required");
        }
        return new FileChannelSettings(
            checkpointDir,
            dataDirs,
            capacity,
            transactionCapacity,
            TimeSpan.FromMilliseconds(context.GetLong("checkpointInterval", 30_000, min: 1000)),
            context.GetLong("maxFileSize", 2_146_435_071, min: 1024 * 1024, max: MaxFileSizeLimit),
            context.GetLong("minimumRequiredSpace", 524_288_000, min: 0),
            TimeSpan.FromSeconds(context.GetInt("keep-alive", 3, min: 0)),
            dual,
            backup,
            context.GetBool("fsyncPerTransaction", true),
            TimeSpan.FromSeconds(context.GetInt("fsyncInterval", 5, min: 1)),
            context.GetBool("checkpointOnClose", true),
            context.GetLong("cacheBytes", 64L * 1024 * 1024, min: 0),
            context.GetBool("deferTakeFsync", DefaultDeferTakeFsync),
            TimeSpan.FromMilliseconds(context.GetInt("deferTakeFsyncMaxDelay", 100, min: 1, max: 60_000)));
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/'), Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);
}
