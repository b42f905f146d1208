using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.Tests.Interceptors;

public sealed class JavaGroupOrderTests
{
    /// <summary>The text each Java-numbered group captures.</summary>
    private static string[] JavaGroups(string pattern, string input)
    {
        var regex = new Regex(pattern);
        var match = regex.Match(input);
        return [.. JavaGroupOrder.Map(regex).Skip(1).Select(n => match.Groups[n].Value)];
    }

    [Theory]
    [InlineData(@"(a)(b)(c)", "abc", new[] { "a", "b", "c" })]
    [InlineData(@"(?<x>a)(b)(?<y>c)(d)", "abcd", new[] { "a", "b", "c", "d" })]
    [InlineData(@"(?:z)?(?<x>a)(?=b)(b)", "ab", new[] { "a", "b" })]
    [InlineData(@"(?<=q)(?<x>a)(?<!r)(b)", "qab", new[] { "a", "b" })]
    [InlineData(@"[(]\((?<x>a)[^)(](b)", "((a-b", new[] { "a", "b" })]
    [InlineData(@"[]()](?<x>a)(b)", "]ab", new[] { "a", "b" })]
    [InlineData(@"(?#(no group)(?'x'a)(b)", "ab", new[] { "a", "b" })]
    [InlineData(@"((?<x>a)(b))", "ab", new[] { "ab", "a", "b" })]
    public void Map_GroupsInPatternOrder_FollowJavaNumbering(string pattern, string input, string[] expected)
    {
        Assert.Equal(expected, JavaGroups(pattern, input));
    }
}
