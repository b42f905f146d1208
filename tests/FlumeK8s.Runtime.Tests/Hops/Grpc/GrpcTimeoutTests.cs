using FlumeK8s.Runtime.Hops.Grpc;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("200m", 200)]
    [InlineData("3S", 3000)]
    [InlineData("1500000u", 1500)]
    public void Parse_UsualTimeouts_AsSent(string header, int expectedMillis)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMillis), GrpcTimeout.Parse(header));
    }

    [Theory]
    [InlineData("99999999S")]
    [InlineData("99999999H")]
    [InlineData("2147484S")]
    public void Parse_LongerThanATimerCanRun_ClampedToMax(string header)
    {
        Assert.Equal(GrpcTimeout.Max, GrpcTimeout.Parse(header));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("123456789S")]
    [InlineData("-5S")]
    [InlineData("5X")]
    public void Parse_Malformed_NoDeadline(string header)
    {
        Assert.Null(GrpcTimeout.Parse(header));
    }

    [Fact]
    public void Format_LargestRequestTimeout_ParsesBackToMax()
    {
        var header = GrpcTimeout.Format(TimeSpan.FromMilliseconds(int.MaxValue));

        Assert.Equal(GrpcTimeout.Max, GrpcTimeout.Parse(header));
        Assert.Equal(GrpcTimeout.Max, GrpcTimeout.Parse(GrpcTimeout.Format(TimeSpan.MaxValue)));
    }
}
