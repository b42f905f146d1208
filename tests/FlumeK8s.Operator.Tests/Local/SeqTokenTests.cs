using FlumeK8s.Operator.Local;

namespace FlumeK8s.Operator.Tests.Local;

public sealed class SeqTokenTests
{
    [Theory]
    [InlineData("seq=42 level=INFO", 42)]
    [InlineData("seq=7", 7)]
    [InlineData("{file=/x/app.log, timestamp=1700000000000} seq=42 level=INFO", 42)]
    [InlineData("{note=seq=9 here, node=n} seq=42 pad", 42)]
    [InlineData("{} seq=3\r", 3)]
    [InlineData("{a=b}seq=5 x", 5)]
    public void TryParse_LineWithTheBodysToken_ItsNumber(string line, long expected)
    {
        Assert.True(SeqToken.TryParse(line, out var seq));
        Assert.Equal(expected, seq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no number here")]
    [InlineData("subseq=4 x")]
    [InlineData("seq= x")]
    [InlineData("seq=12abc")]
    public void TryParse_NoStandaloneToken_False(string line) => Assert.False(SeqToken.TryParse(line, out _));
}
