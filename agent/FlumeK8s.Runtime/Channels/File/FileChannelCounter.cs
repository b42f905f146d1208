using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>The channel counters plus the file channel's own, with Flume's names (and two of ours for recovery).</summary>
internal static class FileChannelCounter
{
    public const string Open = "Open";
    public const string Closed = "Closed";
    public const string Unhealthy = "Unhealthy";
    public const string PutErrors = "EventPutErrorCount";
    public const string TakeErrors = "EventTakeErrorCount";
    public const string CheckpointErrors = "CheckpointWriteErrorCount";
    public const string CheckpointBackupErrors = "CheckpointBackupWriteErrorCount";
    public const string CorruptBlocks = "CorruptBlockCount";
    public const string LostEvents = "LostEventCount";
    public const string Syncs = "FsyncCount";

    public static ChannelCounter Create(string name, string type) =>
        new(name, type, [Open, Closed, Unhealthy, PutErrors, TakeErrors, CheckpointErrors, CheckpointBackupErrors, CorruptBlocks, LostEvents, Syncs]);
}
