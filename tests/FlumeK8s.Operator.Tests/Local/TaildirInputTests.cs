using FlumeK8s.Operator.Local;

namespace FlumeK8s.Operator.Tests.Local;

public sealed class TaildirInputTests
{
    [Theory]
    [InlineData("/w/logs/.*\\.log", "/w/logs/app.log")]
    [InlineData("/w/logs/access\\.log", "/w/logs/access.log")]
    [InlineData("/w/logs/server-[0-9]+\\.txt", null)]
    [InlineData("/w/logs/.*", "/w/logs/app.log")]
    [InlineData("/w/logs/catalina\\.out", "/w/logs/catalina.out")]
    public void FileFor_GroupPattern_AFileNameThePatternMatches(string group, string? expected) => Assert.Equal(expected, TaildirInput.FileFor(group));
}
