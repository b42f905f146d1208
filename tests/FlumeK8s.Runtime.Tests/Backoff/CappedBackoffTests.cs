using FlumeK8s.Runtime.Backoff;

namespace FlumeK8s.Runtime.Tests.Backoff;

public sealed class CappedBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Delay_Doubling_FromFirstUpToMax()
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(1, 6).Select(n => backoff.Delay(n).TotalSeconds));
    }

    [Fact]
    public void Delay_Linear_StepsOfFirstUpToMax()
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(5), BackoffGrowth.Linear);

        Assert.Equal([1, 2, 3, 4, 5, 5], Enumerable.Range(1, 6).Select(n => backoff.Delay(n).TotalSeconds));
    }

    [Theory]
    [InlineData(BackoffGrowth.Doubling)]
    [InlineData(BackoffGrowth.Linear)]
    public void Delay_NoFailureOrLess_CountsAsTheFirst(BackoffGrowth growth)
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(10), growth);

        Assert.Equal(Second, backoff.Delay(0));
        Assert.Equal(Second, backoff.Delay(-3));
    }

    [Theory]
    [InlineData(BackoffGrowth.Doubling)]
    [InlineData(BackoffGrowth.Linear)]
    public void Delay_EndlessFailures_StayAtMaxWithoutOverflow(BackoffGrowth growth)
    {
        var backoff = new CappedBackoff(TimeSpan.FromDays(1), TimeSpan.MaxValue - TimeSpan.FromDays(1), growth);

        Assert.Equal(backoff.Max, backoff.Delay(int.MaxValue));
    }

    [Fact]
    public void Delay_FirstAboveMax_GivesMax()
    {
        var backoff = new CappedBackoff(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Delay(1));
    }

    [Theory]
    [InlineData(0.0, 800)]
    [InlineData(0.5, 1000)]
    [InlineData(0.75, 1100)]
    public void Delay_Jitter_SpreadsByTheInjectedDraw(double draw, double expectedMs)
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(10), Jitter: 0.2);

        Assert.Equal(expectedMs, backoff.Delay(1, new FixedRandom(draw)).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Delay_JitterAtTheCap_NeverAboveMax()
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(10), Jitter: 0.2);

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Delay(10, new FixedRandom(0.999)));
        Assert.Equal(8000, backoff.Delay(10, new FixedRandom(0)).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Delay_Jitter_EveryDrawWithinTheBand()
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(10), Jitter: 0.2);
        var random = new Random(7);

        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.Delay(2, random).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 1600, 2400));
        Assert.True(delays.Distinct().Count() > 900, "the draws are spread, not one value");
    }

    [Fact]
    public void Delay_JitterWithoutARandomSource_Throws()
    {
        var backoff = new CappedBackoff(Second, TimeSpan.FromSeconds(10), Jitter: 0.2);

        Assert.Throws<ArgumentNullException>(() => backoff.Delay(1));
    }

    [Fact]
    public void Equality_SameSettings_Equal()
    {
        // Components compare settings records on reload; a backoff inside them must compare by value.
        Assert.Equal(new CappedBackoff(Second, TimeSpan.FromSeconds(10), Jitter: 0.2), new CappedBackoff(Second, TimeSpan.FromSeconds(10), Jitter: 0.2));
    }

    private sealed class FixedRandom(double draw) : Random
    {
        public override double NextDouble() => draw;
    }
}
