using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Operator.Yaml;

namespace FlumeK8s.Operator.Cli;

/// <summary>
/// <c>flumek8s render</c>: prints the exact objects the operator would apply for the tiers of a file,
/// as a YAML stream. Exit 0 with the objects; 2 (nothing on stdout) when a tier or its flow is
/// invalid, each problem on stderr; 64 for a usage error.
/// </summary>
internal static class RenderCommand
{
    public const int ExitInvalid = 2;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = RenderArguments.Parse(args, out var usageError);
        if (parsed is null)
        {
            await stderr.WriteLineAsync($"flumek8s render: {usageError}\n{OperatorCommand.Usage}".AsMemory(), cancellationToken);
            return OperatorCommand.ExitUsage;
        }
        string yaml;
        try
        {
            yaml = parsed.File == "-" ? await stdin.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(parsed.File, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"flumek8s render: cannot read {parsed.File}: {e.Message}".AsMemory(), cancellationToken);
            return ExitInvalid;
        }
        var read = TierReader.Read(yaml, parsed.Namespace);
        var results = TierRenderer.RenderAll(read.Tiers, parsed.Options);
        foreach (var problem in read.Problems)
        {
            await stderr.WriteLineAsync($"error: {problem}".AsMemory(), cancellationToken);
        }
        foreach (var result in results)
        {
            var tier = $"{result.Tier.Kind} {result.Tier.Metadata.Namespace}/{result.Tier.Metadata.Name}";
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync($"error: {tier}: {error}".AsMemory(), cancellationToken);
            }
            foreach (var warning in result.Warnings)
            {
                await stderr.WriteLineAsync($"warning: {tier}: {warning}".AsMemory(), cancellationToken);
            }
        }
        if (read.Problems.Count > 0 || results.Any(r => !r.IsValid))
        {
            return ExitInvalid;
        }
        if (results.Count == 0)
        {
            await stderr.WriteLineAsync($"flumek8s render: {parsed.File} holds no tier".AsMemory(), cancellationToken);
            return ExitInvalid;
        }
        var objects = results.SelectMany(r => r.Objects).ToList();
        foreach (var obj in objects)
        {
            Reconcile.TierResources.For(obj, parsed.PolicyV1); // the PodDisruptionBudget's group version, as the operator chooses it by discovery
        }
        await stdout.WriteAsync(YamlWriter.Write(objects).AsMemory(), cancellationToken);
        return 0;
    }
}
