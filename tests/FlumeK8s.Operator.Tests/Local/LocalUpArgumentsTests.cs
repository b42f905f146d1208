using FlumeK8s.Operator.Local;

namespace FlumeK8s.Operator.Tests.Local;

public sealed class LocalUpArgumentsTests
{
    [Fact]
    public void Parse_AllOptions_Read()
    {
        var parsed = LocalUpArguments.Parse(["-f", "t.yaml", "--work-dir", "w", "--nodes", "3", "--rate", "500", "--events", "100", "--deadline", "60", "--kill-every", "1.5", "--plain"], out var problem);

        Assert.Null(problem);
        Assert.Equal(new LocalUpArguments("t.yaml", "w", null, 3, 500, 100, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1.5), true), parsed);
    }

    [Theory]
    [InlineData("--events", "0")]
    [InlineData("--kill-every", "soon")]
    [InlineData("--nodes", "-1")]
    [InlineData("--bogus", "1")]
    public void Parse_BadOption_AProblemNamingIt(string option, string value)
    {
        Assert.Null(LocalUpArguments.Parse(["-f", "t.yaml", option, value], out var problem));
        Assert.Contains(option, problem);
    }

    [Fact]
    public void Parse_NoFile_Problem()
    {
        Assert.Null(LocalUpArguments.Parse(["--events", "10"], out var problem));
        Assert.Contains("-f", problem);
    }
}
