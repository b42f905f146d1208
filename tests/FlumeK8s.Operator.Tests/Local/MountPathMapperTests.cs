using FlumeK8s.Operator.Local;

namespace FlumeK8s.Operator.Tests.Local;

public sealed class MountPathMapperTests
{
    private static readonly MountPathMapper Mapper = new(new Dictionary<string, string>
    {
        ["/archive"] = "/w/claims/archive",
        ["/var/log/apps/"] = "/w/nodes/n/var/log/apps",
        ["/var/log"] = "/w/nodes/n/var/log",
    });

    [Theory]
    [InlineData("/archive", "/w/claims/archive")]
    [InlineData("/archive/${env:POD_NAME}", "/w/claims/archive/${env:POD_NAME}")]
    [InlineData("/var/log/apps/.*\\.log", "/w/nodes/n/var/log/apps/.*\\.log")]
    [InlineData("/var/log/other.log", "/w/nodes/n/var/log/other.log")]
    [InlineData("tail -F /var/log/apps/a.log /archive/b", "tail -F /w/nodes/n/var/log/apps/a.log /w/claims/archive/b")]
    [InlineData("agent.sinks.k.sink.directory = /archive/x\n", "agent.sinks.k.sink.directory = /w/claims/archive/x\n")]
    public void Map_MountPathAsAWholePrefix_Replaced(string value, string expected) => Assert.Equal(expected, Mapper.Map(value));

    [Theory]
    [InlineData("/archived/x")]
    [InlineData("/data/archive/x")]
    [InlineData("/archive.old")]
    [InlineData("relative/archive")]
    [InlineData("no path at all")]
    public void Map_MountPathOnlyAsPartOfAnotherName_Unchanged(string value) => Assert.Equal(value, Mapper.Map(value));
}
