using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Interceptors.SearchReplace;

namespace FlumeK8s.Runtime.Tests.Interceptors.SearchReplace;

public sealed class JavaReplacementTests
{
    private static string Apply(string pattern, string javaReplacement, string input)
    {
        var regex = new Regex(pattern);
        var replacement = JavaReplacement.ToDotNet(javaReplacement, regex, out var error);
        Assert.Null(error);
        return regex.Replace(input, replacement!);
    }

    [Theory]
    [InlineData("(a)(b)", "$2$1", "ab", "ba")]
    [InlineData("(a)(b)", "[$0]", "ab", "[ab]")]
    [InlineData("(a)", "\\$1 costs \\\\", "a", "$1 costs \\")]
    [InlineData("(a)", "$10", "a", "a0")]
    [InlineData("(?<word>a)", "<${word}>", "a", "<a>")]
    public void ToDotNet_JavaSyntax_ReplacesAsJavaWould(string pattern, string replacement, string input, string expected)
    {
        Assert.Equal(expected, Apply(pattern, replacement, input));
    }

    [Fact]
    public void ToDotNet_TenGroups_ReadsTwoDigitReference()
    {
        Assert.Equal("j", Apply("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "$10", "abcdefghij"));
    }

    [Fact]
    public void ToDotNet_NamedGroupBeforeUnnamed_UsesJavaNumbering()
    {
        // Java numbers by opening parenthesis: $1 is "key", $2 is the unnamed group.
        Assert.Equal("v=k", Apply("(?<key>\\w)=(\\w)", "$2=$1", "k=v"));
    }

    [Theory]
    [InlineData("(a)", "trailing\\")]
    [InlineData("(a)", "cost $")]
    [InlineData("(a)", "$x")]
    [InlineData("(a)", "$2")]
    [InlineData("(a)", "${missing}")]
    [InlineData("(?<n>a)", "${n")]
    [InlineData("(a)", "$$1")] // a bad reference in Java, not a dollar sign as in .NET
    public void ToDotNet_BadReplacement_ReturnsAnError(string pattern, string replacement)
    {
        Assert.Null(JavaReplacement.ToDotNet(replacement, new Regex(pattern), out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
