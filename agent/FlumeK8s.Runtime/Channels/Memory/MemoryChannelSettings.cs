using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels.Memory;

/// <summary>The memory channel's properties, with Flume's names and defaults.</summary>
public sealed record MemoryChannelSettings(
    int Capacity = 100,
    int TransactionCapacity = 100,
    TimeSpan? KeepAlive = null,
    long ByteCapacity = 0,
    int ByteCapacityBufferPercentage = 20) : IChannelSettings
{
    public TimeSpan KeepAliveOrDefault => KeepAlive ?? TimeSpan.FromSeconds(3);

    /// <summary>Body bytes the channel may hold: byteCapacity less the share reserved for headers.</summary>
    public long UsableBytes => ByteCapacity * (100 - ByteCapacityBufferPercentage) / 100;

    public static MemoryChannelSettings Read(ComponentContext context)
    {
        var (capacity, transactionCapacity) = ChannelSizes.Read(context, 100, 100);
        return new MemoryChannelSettings(
            capacity,
            transactionCapacity,
            TimeSpan.FromSeconds(context.GetInt("keep-alive", 3, min: 0)),
            context.GetLong("byteCapacity", DefaultByteCapacity(), min: 1),
            context.GetInt("byteCapacityBufferPercentage", 20, min: 0, max: 99));
    }

    /// <summary>As Flume: 80% of the memory the process may use.</summary>
    public static long DefaultByteCapacity() => (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8);
}
