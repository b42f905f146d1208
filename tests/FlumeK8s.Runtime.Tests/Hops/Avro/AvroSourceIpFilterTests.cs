using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

public sealed class AvroSourceIpFilterTests
{
    [Theory]
    [InlineData("deny:ip:127.*", false)]
    [InlineData("allow:ip:127.0.0.1,deny:ip:*", true)]
    [InlineData("deny:ip:10.*", true)]
    [InlineData("deny:name:localhost", false)]
    [InlineData("allow:name:localhost,deny:ip:*", true)]
    public async Task Client_OnLoopback_IsServedOnlyWhenTheFirstMatchingRuleAllows(string rules, bool served)
    {
        var collector = new TestPipeline();
        var source = await AvroHopTests.CreateSourceAsync(collector, collector.Services, "ipFilter=true", $"ipFilterRules={rules}");
        try
        {
            await using var client = await RawAvroClient.ConnectAsync(source.Port);
            await client.SendAsync(1, w => AvroSourceProtocolTests.WriteCall(w, new HandshakeRequest(AvroSourceProtocol.Hash, null, AvroSourceProtocol.Hash), "append", Event.FromText("x")));

            if (served)
            {
                await client.ReceiveAsync();
                Assert.Equal(["x"], collector.DrainBodies());
            }
            else
            {
                Assert.True(await client.IsClosedBySourceAsync());
                Assert.Empty(collector.Drain());
            }
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("allow:ip")]
    [InlineData("permit:ip:1.2.3.4")]
    [InlineData("allow:host:x")]
    public void Rules_Malformed_AreConfigErrors(string rules)
    {
        var (context, problems) = TestPipeline.Context("bind=0.0.0.0", "port=4141", "ipFilter=true", $"ipFilterRules={rules}");

        AvroSourceSettings.Read(context);

        Assert.Contains(problems.Errors, p => p.Key.EndsWith("ipFilterRules", StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_IpFilterOff_AreNotApplied()
    {
        var (context, _) = TestPipeline.Context("bind=0.0.0.0", "port=4141", "ipFilterRules=deny:ip:*");

        Assert.Empty(AvroSourceSettings.Read(context).IpFilterRules);
    }
}
