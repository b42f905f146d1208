using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Spillable;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

public sealed class SpillableMemoryChannelSettingsTests
{
    [Fact]
    public void Read_NothingSet_FlumeDefaults()
    {
        var (context, problems) = TestPipeline.Context("checkpointDir=/tmp/cp", "dataDirs=/tmp/d1,/tmp/d2");
        var settings = SpillableMemoryChannelSettings.Read(context, "a1", "c1");

        Assert.Empty(problems.Errors);
        Assert.Equal(10_000, settings.MemoryCapacity);
        Assert.Equal(100_000_000, settings.OverflowCapacity);
        Assert.Equal(100, settings.TransactionCapacity);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.OverflowTimeoutOrDefault);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.KeepAliveOrDefault);
        Assert.Equal(500, settings.AvgEventSize);
        Assert.Equal(20, settings.ByteCapacityBufferPercentage);
        Assert.True(settings.ByteCapacity > 0);
        Assert.Equal(100_010_000, settings.Capacity);
    }

    [Fact]
    public void Read_FileChannelKeys_ConfigureTheOverflowStore()
    {
        var (context, problems) = TestPipeline.Context(
            "checkpointDir=/tmp/cp", "dataDirs=/tmp/d1,/tmp/d2", "overflowCapacity=5000", "transactionCapacity=200",
            "keep-alive=7", "checkpointInterval=60000", "fsyncPerTransaction=false", "maxFileSize=2097152");
        var store = SpillableMemoryChannelSettings.Read(context, "a1", "c1").OverflowStore;

        Assert.Empty(problems.Errors);
        Assert.Empty(context.UnusedEntries());
        Assert.Equal("/tmp/cp", store.CheckpointDir);
        Assert.Equal(["/tmp/d1", "/tmp/d2"], store.DataDirs);
        Assert.Equal(5000, store.Capacity);
        Assert.Equal(200, store.TransactionCapacity);
        Assert.Equal(TimeSpan.FromSeconds(7), store.KeepAliveOrDefault);
        Assert.Equal(TimeSpan.FromMinutes(1), store.CheckpointIntervalOrDefault);
        Assert.False(store.FsyncPerTransaction);
        Assert.Equal(2_097_152, store.MaxFileSize);
    }

    [Fact]
    public void Read_NoDirectories_DefaultsPerAgentAndChannel()
    {
        var (context, _) = TestPipeline.Context("memoryCapacity=10");
        var store = SpillableMemoryChannelSettings.Read(context, "a1", "c9").OverflowStore;
        Assert.EndsWith(Path.Combine(".flume", "file-channel", "a1", "c9", "checkpoint"), store.CheckpointDir);
    }

    [Fact]
    public void Read_BadValues_ReportedWithTheirKeys()
    {
        var (context, problems) = TestPipeline.Context(
            "memoryCapacity=-1", "overflowCapacity=lots", "overflowTimeout=-2", "avgEventSize=0",
            "byteCapacity=0", "byteCapacityBufferPercentage=100", "checkpointInterval=5", "keep-alive=-1");
        SpillableMemoryChannelSettings.Read(context, "a1", "c1");

        var keys = problems.Errors.Select(p => p.Key).ToHashSet();
        foreach (var key in new[] { "memoryCapacity", "overflowCapacity", "overflowTimeout", "avgEventSize", "byteCapacity",
                     "byteCapacityBufferPercentage", "checkpointInterval", "keep-alive" })
        {
            Assert.Contains("a1.sources.r1." + key, keys);
        }
    }

    [Fact]
    public void Read_BothCapacitiesZero_Error()
    {
        var (context, problems) = TestPipeline.Context("memoryCapacity=0", "overflowCapacity=0");
        SpillableMemoryChannelSettings.Read(context, "a1", "c1");
        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1.memoryCapacity", error.Key);
    }

    [Fact]
    public void Read_TransactionCapacityAboveBothStores_Error()
    {
        var (context, problems) = TestPipeline.Context("memoryCapacity=10", "overflowCapacity=0", "transactionCapacity=11");
        SpillableMemoryChannelSettings.Read(context, "a1", "c1");
        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1.transactionCapacity", error.Key);
    }

    [Fact]
    public void Read_Capacity_IgnoredWithWarning()
    {
        var (context, problems) = TestPipeline.Context("capacity=10", "transactionCapacity=50");
        var settings = SpillableMemoryChannelSettings.Read(context, "a1", "c1");
        Assert.Empty(problems.Errors);
        Assert.Contains(problems.Warnings, w => w.Key == "a1.sources.r1.capacity");
        Assert.Equal(100_000_000, settings.OverflowStore.Capacity);
    }

    [Fact]
    public void Read_ByteCapacityBelowMemoryCapacityTimesAvgEventSize_Warning()
    {
        var (context, problems) = TestPipeline.Context("memoryCapacity=1000", "avgEventSize=1000", "byteCapacity=100000");
        SpillableMemoryChannelSettings.Read(context, "a1", "c1");
        Assert.Empty(problems.Errors);
        Assert.Contains(problems.Warnings, w => w.Key == "a1.sources.r1.byteCapacity" && w.Message.Contains("about 80 events"));
    }

    [Fact]
    public void Catalog_AliasAndFlumeClassName_BuildTheSpillableChannel()
    {
        var type = Assert.Single(ChannelCatalog.All, t => t.Alias == "spillablememory");
        Assert.True(type.Matches("SPILLABLEMEMORY"));
        Assert.True(type.Matches("org.apache.flume.channel.SpillableMemoryChannel"));
        var (context, problems) = TestPipeline.Context("memoryCapacity=500", "overflowCapacity=0");
        var plan = type.Configure(context);
        Assert.Empty(problems.Errors);
        Assert.Equal(500, ((SpillableMemoryChannelSettings)plan.Settings).MemoryCapacity);
    }
}
