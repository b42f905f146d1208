using System.Text.Json;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Admin;

/// <summary>The drain status on the wire: the shape the operator parses, and the parser it uses.</summary>
public sealed class DrainStatusJsonTests
{
    [Fact]
    public void Render_ChannelsInNameOrderNumbersAsNumbers()
    {
        var status = new DrainStatus(true, false, 1240, new Dictionary<string, long> { ["disk"] = 1234, ["c0"] = 6 });
        Assert.Equal("""{"draining":true,"empty":false,"events":1240,"channels":{"c0":6,"disk":1234}}""", DrainStatusJson.Render(status));
    }

    [Fact]
    public void Parse_WhatRenderWrote_SameStatus()
    {
        var parsed = DrainStatusJson.Parse(DrainStatusJson.Render(new DrainStatus(true, true, 0, new Dictionary<string, long> { ["disk"] = 0 })));
        Assert.Equal((true, true, 0L), (parsed.Draining, parsed.Empty, parsed.Events));
        Assert.Equal(0, Assert.Single(parsed.Channels, c => c.Key == "disk").Value);
    }

    [Fact]
    public void Parse_UnknownFields_Ignored()
    {
        var parsed = DrainStatusJson.Parse("""{"draining":false,"empty":false,"events":3,"channels":{"c1":3},"since":"later"}""");
        Assert.Equal(3, parsed.Channels["c1"]);
    }

    [Theory]
    [InlineData("""{"draining":true}""")]
    [InlineData("""{"draining":"yes","empty":false,"events":0,"channels":{}}""")]
    [InlineData("""[]""")]
    public void Parse_NotADrainStatus_JsonException(string text)
    {
        Assert.ThrowsAny<JsonException>(() => DrainStatusJson.Parse(text));
    }
}
