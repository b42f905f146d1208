namespace FlumeK8s.Operator.Cli;

/// <summary>The flumek8s command: dispatches to its subcommands.</summary>
internal static class OperatorCommand
{
    public const int ExitUsage = 64;

    public const string Usage =
        "usage: flumek8s render -f <tiers.yaml|-> [--namespace <ns>] [--image <image>] [--cluster-domain <domain>]\n" +
        "                       [--pdb-api-version policy/v1|policy/v1beta1]\n" +
        "       flumek8s operator [--kubeconfig <path>] [--namespace <ns> | --all-namespaces] [--no-leader-elect]\n" +
        "                         [--lease-namespace <ns>] [--image <image>] [--cluster-domain <domain>] [--resync-period <seconds>]\n" +
        "                         [--metrics-port <port>] [--metrics-bind <address>] [--log-format text|json]\n" +
        "                         [--certificate-validity 90d] [--renew-before 30d] [--ca-validity 1825d] [--ca-renew-before 365d]\n" +
        Local.LocalUpArguments.Usage;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && args[0] == "render")
        {
            return await RenderCommand.RunAsync(args[1..], stdin, stdout, stderr, cancellationToken);
        }
        if (args.Length > 0 && args[0] == "operator")
        {
            return await OperatorRunCommand.RunAsync(args[1..], stderr, cancellationToken);
        }
        if (args.Length > 1 && args[0] == "local" && args[1] == "up")
        {
            return await Local.LocalUpCommand.RunAsync(args[2..], stdout, stderr, cancellationToken);
        }
        var problem = args.Length == 0 ? "a command is required"
            : args[0] == "local" ? "local needs its subcommand: local up"
            : $"unknown command '{args[0]}'";
        await stderr.WriteLineAsync($"flumek8s: {problem}\n{Usage}".AsMemory(), cancellationToken);
        return ExitUsage;
    }
}
