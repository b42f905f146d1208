namespace FlumeK8s.Operator.Cli;

/// <summary>
/// <c>flumek8s operator [--kubeconfig path] [--namespace ns | --all-namespaces] [--no-leader-elect]
/// [--lease-namespace ns] [--image image] [--cluster-domain domain] [--resync-period seconds]</c>.
/// </summary>
internal sealed record OperatorArguments(string? Kubeconfig, string? Namespace, bool AllNamespaces, bool LeaderElect,
    string? LeaseNamespace, string Image, string ClusterDomain, TimeSpan ResyncPeriod)
{
    public static OperatorArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        string? kubeconfig = null, ns = null, leaseNamespace = null;
        string image = Rendering.RenderOptions.Image, domain = "cluster.local";
        bool all = false, elect = true;
        var resync = Reconcile.OperatorController.DefaultResyncPeriod;
        error = null;
        for (var i = 0; i < args.Count && error is null; i++)
        {
            string? Next(ref string? problem)
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }
                problem = $"{args[i]} needs a value";
                return null;
            }
            switch (args[i])
            {
                case "--kubeconfig": kubeconfig = Next(ref error); break;
                case "--namespace" or "-n": ns = Next(ref error); break;
                case "--all-namespaces" or "-A": all = true; break;
                case "--no-leader-elect": elect = false; break;
                case "--lease-namespace": leaseNamespace = Next(ref error); break;
                case "--image": image = Next(ref error) ?? image; break;
                case "--cluster-domain": domain = Next(ref error) ?? domain; break;
                case "--resync-period":
                    var seconds = Next(ref error);
                    if (seconds is not null)
                    {
                        if (int.TryParse(seconds, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
                        {
                            resync = TimeSpan.FromSeconds(value);
                        }
                        else
                        {
                            error = $"--resync-period must be a whole number of seconds above 0, not '{seconds}'";
                        }
                    }
                    break;
                default: error = $"unknown argument '{args[i]}'"; break;
            }
        }
        if (error is null && all && ns is not null)
        {
            error = "--namespace and --all-namespaces exclude each other";
        }
        return error is null ? new OperatorArguments(kubeconfig, ns, all, elect, leaseNamespace, image, domain, resync) : null;
    }
}
