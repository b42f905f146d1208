using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Tests.Configuration;

public sealed class PropertiesReaderTests
{
    [Fact]
    public void Read_JavaPropertiesSyntax_KeysValuesAndLines()
    {
        var problems = new ConfigProblems();
        var entries = PropertiesReader.Read("""
            # comment
            ! also a comment
            a1.sources = r1
              a1.channels:c1
            a1.sinks k1
            a1.sources.r1.command = tail \
                -F /var/log/x
            a1.x = tab\there \u0041
            a1.empty =
            """, problems);
        Assert.Empty(problems.Errors);
        Assert.Equal(
            [("a1.sources", "r1", 3), ("a1.channels", "c1", 4), ("a1.sinks", "k1", 5),
             ("a1.sources.r1.command", "tail -F /var/log/x", 6), ("a1.x", "tab\there A", 8), ("a1.empty", "", 9)],
            entries.Select(e => (e.Key, e.Value, e.Line)));
    }

    [Fact]
    public void Read_EscapedSeparatorInKey_IsPartOfKey()
    {
        var entries = PropertiesReader.Read(@"a1.weird\=key = v", new ConfigProblems());
        Assert.Equal("a1.weird=key", entries[0].Key);
        Assert.Equal("v", entries[0].Value);
    }

    [Fact]
    public void Read_MalformedUnicodeEscape_IsAProblemWithLine()
    {
        var problems = new ConfigProblems();
        PropertiesReader.Read("a1.x = ok\na1.y = \\uZZ", problems);
        Assert.Equal(2, Assert.Single(problems.Errors).Line);
    }
}
