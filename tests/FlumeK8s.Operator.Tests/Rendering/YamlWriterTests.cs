using System.Text.Json.Nodes;
using FlumeK8s.Operator.Yaml;

namespace FlumeK8s.Operator.Tests.Rendering;

public sealed class YamlWriterTests
{
    [Fact]
    public void Write_ValuesYamlWouldMisread_ReadBackAsTheSameJson()
    {
        var document = new JsonObject
        {
            ["strings"] = new JsonArray("4141", "true", "yes", "off", "null", "~", "", "1e3", "0x1F", "012", ": x", "- y", "# z", "a: b", " lead", "'q'", "\"dq\""),
            ["config"] = "line one\n  indented two\nthree = ${env:X}\n",
            ["numbers"] = new JsonArray(0, -3, 41414, 2.5),
            ["flags"] = new JsonArray(true, false),
            ["empty"] = new JsonObject(),
            ["none"] = new JsonArray(),
            ["nested"] = new JsonObject { ["app.kubernetes.io/name"] = "flumek8s", ["list"] = new JsonArray(new JsonObject { ["a"] = 1 }) },
        };

        var text = YamlWriter.Write([document, new JsonObject { ["second"] = "doc" }]);
        var read = YamlJson.Read(text);

        Assert.Equal(2, read.Count);
        Assert.True(JsonNode.DeepEquals(document, read[0].Root), text);
        Assert.Contains("config: |", text);
    }
}
