using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Support;
using FlumeK8s.Operator.Yaml;
using NJsonSchema;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// charts/flumek8s/values.schema.json, which Helm checks values against before it renders: checked here
/// with an independent JSON Schema validator, since tests/helm-render renders but does not validate.
/// </summary>
public sealed class ValuesSchemaTests
{
    private static readonly string ChartDirectory = Path.Combine(RepositoryRoot.Path, "charts", "flumek8s");

    [Fact]
    public async Task ValuesYaml_ValidatesAgainstTheSchema()
    {
        var schema = await Schema();

        var errors = schema.Validate(Json(File.ReadAllText(Path.Combine(ChartDirectory, "values.yaml"))));

        Assert.Empty(errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("logFormat: xml", "logFormat")]
    [InlineData("replicas: two", "replicas")]
    [InlineData("image: {repository: r, pullPolicy: Sometimes}", "image.pullPolicy")]
    [InlineData("imagePullSecret: [{name: r}]", "imagePullSecret")]
    [InlineData("metrics: {podMonitor: {interval: soon}}", "metrics.podMonitor.interval")]
    [InlineData("tiers: [{kind: Pipeline, name: p, spec: {}}]", "tiers[0].kind")]
    [InlineData("tiers: [{kind: StoreTier, name: Stores, spec: {}}]", "tiers[0].name")]
    public async Task BadValues_RefusedNamingTheKey(string values, string key)
    {
        var schema = await Schema();

        var errors = schema.Validate(Json(values));

        // An error inside a list item is nested under the item's; its text names the full path.
        Assert.NotEmpty(errors);
        Assert.Contains("#/" + key, string.Join("\n", errors.Select(e => e.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryKeyOfValuesYaml_IsDescribedInTheSchema()
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ChartDirectory, "values.schema.json")))!.AsObject();
        var values = YamlJson.Read(File.ReadAllText(Path.Combine(ChartDirectory, "values.yaml"))).Single().Root!.AsObject();
        var undescribed = new List<string>();

        Walk(values, schema, "");

        Assert.Empty(undescribed);

        void Walk(JsonObject map, JsonObject node, string path)
        {
            foreach (var (key, value) in map)
            {
                var property = node["properties"]?[key]?.AsObject();
                if (property?["description"] is null)
                {
                    undescribed.Add(path + key);
                    continue;
                }
                if (value is JsonObject inner && property["properties"] is not null)
                {
                    Walk(inner, property, $"{path}{key}.");
                }
            }
        }
    }

    private static Task<JsonSchema> Schema() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(ChartDirectory, "values.schema.json")));

    private static string Json(string yaml) => YamlJson.Read(yaml).Single().Root!.ToJsonString();
}
