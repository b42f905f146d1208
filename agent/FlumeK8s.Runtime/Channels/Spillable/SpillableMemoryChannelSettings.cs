using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels.Spillable;

/// <summary>
/// The spillable memory channel's properties with Flume's names and defaults, plus every file
/// channel property for its overflow store (read by <see cref="FileChannelSettings.Read"/> on the
/// same keys). As in Flume, the overflow's capacity is <c>overflowCapacity</c>, not <c>capacity</c>.
/// </summary>
public sealed record SpillableMemoryChannelSettings(
    FileChannelSettings Overflow,
    int MemoryCapacity = 10_000,
    int OverflowCapacity = 100_000_000,
    int TransactionCapacity = 100,
    TimeSpan? OverflowTimeout = null,
    TimeSpan? KeepAlive = null,
    long ByteCapacity = 0,
    int ByteCapacityBufferPercentage = 20,
    int AvgEventSize = 500) : IChannelSettings
{
    /// <summary>How long a put waits for memory room before it starts overflowing to disk.</summary>
    public TimeSpan OverflowTimeoutOrDefault => OverflowTimeout ?? TimeSpan.FromSeconds(3);

    /// <summary>How long a put waits for room in the store it goes to before "channel full".</summary>
    public TimeSpan KeepAliveOrDefault => KeepAlive ?? TimeSpan.FromSeconds(3);

    /// <summary>Body bytes memory may hold: byteCapacity less the share reserved for headers.</summary>
    public long UsableBytes => ByteCapacity * (100 - ByteCapacityBufferPercentage) / 100;

    public bool OverflowEnabled => OverflowCapacity > 0;

    public long Capacity => (long)MemoryCapacity + OverflowCapacity;

    /// <summary>The overflow file channel's settings: sizes and keep-alive are the spillable channel's.</summary>
    public FileChannelSettings OverflowStore =>
        Overflow with { Capacity = OverflowCapacity, TransactionCapacity = TransactionCapacity, KeepAlive = KeepAliveOrDefault };

    public static SpillableMemoryChannelSettings Read(ComponentContext context, string agentName, string channelName)
    {
        var memoryCapacity = context.GetInt("memoryCapacity", 10_000, min: 0);
        var overflowCapacity = context.GetInt("overflowCapacity", 100_000_000, min: 0);
        var transactionCapacity = context.GetInt("transactionCapacity", 100, min: 1);
        if (memoryCapacity == 0 && overflowCapacity == 0)
        {
            context.Error("memoryCapacity", "memoryCapacity and overflowCapacity are both 0, so the channel could hold nothing");
        }
        else
        {
            ChannelSizes.CheckTransactionFits(context, transactionCapacity, (long)memoryCapacity + overflowCapacity,
                "memoryCapacity + overflowCapacity", "memoryCapacity", "overflowCapacity");
        }
        if (context.GetString("capacity") is not null)
        {
            context.Warning("capacity", "spillablememory ignores capacity, as Flume does: memoryCapacity and overflowCapacity bound it");
        }
        var overflow = FileChannelSettings.Read(context, agentName, channelName, (Math.Max(overflowCapacity, 1), transactionCapacity));
        var settings = new SpillableMemoryChannelSettings(
            overflow,
            memoryCapacity,
            overflowCapacity,
            transactionCapacity,
            TimeSpan.FromSeconds(context.GetInt("overflowTimeout", 3, min: 0)),
            overflow.KeepAliveOrDefault,
            context.GetLong("byteCapacity", MemoryChannelSettings.DefaultByteCapacity(), min: 1),
            context.GetInt("byteCapacityBufferPercentage", 20, min: 0, max: 99),
            context.GetInt("avgEventSize", 500, min: 1));
        if ((long)settings.MemoryCapacity * settings.AvgEventSize > settings.UsableBytes)
        {
            // Not an error: memory simply fills by bytes first. But the user sized it by count and
            // should know that count will not be reached.
            context.Warning("byteCapacity",
                $"memory holds only about {settings.UsableBytes / settings.AvgEventSize} events of avgEventSize {settings.AvgEventSize} bytes " +
                $"within byteCapacity (less byteCapacityBufferPercentage), fewer than memoryCapacity {settings.MemoryCapacity}");
        }
        return settings;
    }
}
