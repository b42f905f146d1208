using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

public sealed class RollPolicyTests
{
    [Theory]
    [InlineData(9, 0, false)]
    [InlineData(10, 0, true)]
    [InlineData(11, 0, true)]
    public void IsFull_RollCount_FullFromThatManyEvents(long events, long bodyBytes, bool full) =>
        Assert.Equal(full, new RollPolicy(Count: 10, Size: 0, TimeSpan.Zero).IsFull(events, bodyBytes));

    [Theory]
    [InlineData(1, 1023, false)]
    [InlineData(1, 1024, true)]
    public void IsFull_RollSize_FullFromThatManyBodyBytes(long events, long bodyBytes, bool full) =>
        Assert.Equal(full, new RollPolicy(Count: 0, Size: 1024, TimeSpan.Zero).IsFull(events, bodyBytes));

    [Fact]
    public void IsFull_CountAndSize_WhicheverComesFirst()
    {
        var policy = new RollPolicy(Count: 10, Size: 1024, TimeSpan.Zero);

        Assert.True(policy.IsFull(10, 5));
        Assert.True(policy.IsFull(2, 2048));
        Assert.False(policy.IsFull(9, 1023));
    }

    [Fact]
    public void IsFull_BothZero_NeverFull() =>
        Assert.False(new RollPolicy(Count: 0, Size: 0, TimeSpan.FromSeconds(30)).IsFull(long.MaxValue, long.MaxValue));

    [Theory]
    [InlineData(0, false)]
    [InlineData(30, true)]
    public void RollsByTime_OnlyWithAPositiveInterval(int seconds, bool rolls) =>
        Assert.Equal(rolls, new RollPolicy(0, 0, TimeSpan.FromSeconds(seconds)).RollsByTime);

    [Fact]
    public void From_Settings_FlumeDefaults()
    {
        var (context, _) = TestPipeline.Context("hdfs.path=/tmp/x");

        var policy = RollPolicy.From(HdfsSinkSettings.Read(context));

        Assert.Equal(new RollPolicy(10, 1024, TimeSpan.FromSeconds(30)), policy);
    }
}
