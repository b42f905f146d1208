using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Endpoints;

public sealed class HostsSpecTests
{
    [Fact]
    public void Read_StaticList_EveryHostWithItsPortOrTheDefault()
    {
        var (context, problems) = TestPipeline.Context("hosts=h1:4545 h2 [::1]:4646");

        var spec = HostsSpec.Read(context, "hosts", 4141);

        Assert.Empty(problems.Errors);
        Assert.Null(spec.Dns);
        Assert.Equal([new HopEndpoint("h1", 4545), new HopEndpoint("h2", 4141), new HopEndpoint("::1", 4646)], spec.Static);
        Assert.Equal("http://[::1]:4646/", spec.Static[2].ToUri(tls: false).ToString());
    }

    [Fact]
    public void Read_DnsTarget_NameAndPort()
    {
        var (context, problems) = TestPipeline.Context("hosts=dns:///collectors-headless.ns.svc:4141");

        var spec = HostsSpec.Read(context, "hosts", 4141);

        Assert.Empty(problems.Errors);
        Assert.Equal(new DnsTarget("collectors-headless.ns.svc", 4141), spec.Dns);
    }

    [Theory]
    [InlineData("hosts=h1:0", "is not a port")]
    [InlineData("hosts=h1:x", "is not a port")]
    [InlineData("hosts=::1:4141", "brackets")]
    [InlineData("hosts=[::1", "']'")]
    [InlineData("hosts=dns:///a:1 h2:1", "only entry")]
    [InlineData("hosts=dns://8.8.8.8/a:1", "authority")]
    [InlineData("hosts=h1:1 h1:1", "more than once")]
    [InlineData("other=1", "required")]
    public void Read_BadHosts_ReportsTheProblemAgainstTheKey(string property, string expected)
    {
        var (context, problems) = TestPipeline.Context(property);

        HostsSpec.Read(context, "hosts", 4141);

        var error = Assert.Single(problems.Errors);
        Assert.Contains("hosts", error.Key, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
