using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Cli;

/// <summary>The command line of <c>flumek8s render</c>.</summary>
/// <param name="PolicyV1">False for <c>--pdb-api-version policy/v1beta1</c>: clusters before 1.21 serve PodDisruptionBudgets only there.</param>
internal sealed record RenderArguments(string File, string? Namespace, RenderOptions Options, bool PolicyV1 = true)
{
    public static RenderArguments? Parse(IReadOnlyList<string> args, out string? problem)
    {
        string? file = null, ns = null;
        var options = new RenderOptions();
        var policyV1 = true;
        problem = null;
        for (var i = 0; i < args.Count && problem is null; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (arg is not ("-f" or "--filename" or "-n" or "--namespace" or "--image" or "--cluster-domain" or "--pdb-api-version"))
            {
                problem = $"unknown argument '{arg}'";
                break;
            }
            if (string.IsNullOrEmpty(value))
            {
                problem = $"{arg} needs a value";
                break;
            }
            i++;
            switch (arg)
            {
                case "-f" or "--filename": file = value; break;
                case "-n" or "--namespace": ns = value; break;
                case "--image": options = options with { DefaultImage = value }; break;
                case "--pdb-api-version" when value is "policy/v1" or "policy/v1beta1": policyV1 = value == "policy/v1"; break;
                case "--pdb-api-version": problem = $"--pdb-api-version is policy/v1 or policy/v1beta1, not '{value}'"; break;
                default: options = options with { ClusterDomain = value }; break;
            }
        }
        if (problem is null && file is null)
        {
            problem = "-f <tiers.yaml> is required (- reads standard input)";
        }
        return problem is null ? new RenderArguments(file!, ns, options, policyV1) : null;
    }
}
