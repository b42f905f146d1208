using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Tests.Sources;

public sealed class SourceCatalogTests
{
    [Theory]
    [InlineData("netcat")]
    [InlineData("org.apache.flume.source.NetcatSource")]
    [InlineData("netcatudp")]
    [InlineData("org.apache.flume.source.NetcatUdpSource")]
    [InlineData("HTTP")]
    [InlineData("org.apache.flume.source.http.HTTPSource")]
    public void All_NetworkSourceByAliasOrFlumeClassName_IsKnown(string type)
    {
        Assert.Single(SourceCatalog.All, t => t.Matches(type));
    }
}
