using System.Globalization;
using System.Net;

namespace FlumeK8s.Operator.Cli;

/// <summary>
/// <c>flumek8s operator [--kubeconfig path] [--namespace ns | --all-namespaces] [--no-leader-elect]
/// [--lease-namespace ns] [--image image] [--cluster-domain domain] [--resync-period seconds]
/// [--metrics-port port] [--metrics-bind address] [--log-format text|json] [--certificate-validity 90d]
/// [--renew-before 30d] [--ca-validity 1825d] [--ca-renew-before 365d]</c>.
/// </summary>
internal sealed record OperatorArguments(string? Kubeconfig, string? Namespace, bool AllNamespaces, bool LeaderElect,
    string? LeaseNamespace, string Image, string ClusterDomain, TimeSpan ResyncPeriod,
    int MetricsPort = OperatorArguments.DefaultMetricsPort, string MetricsBind = "0.0.0.0", bool JsonLogs = false,
    FlumeK8s.Operator.Certificates.CertificatePolicy? Certificates = null)
{
    public const int DefaultMetricsPort = 8080;

    public static OperatorArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        string? kubeconfig = null, ns = null, leaseNamespace = null;
        string image = Rendering.ReleaseImage.Name, domain = "cluster.local", bind = "0.0.0.0";
        bool all = false, elect = true, json = false;
        var resync = Reconcile.OperatorController.DefaultResyncPeriod;
        var metricsPort = DefaultMetricsPort;
        var certificates = FlumeK8s.Operator.Certificates.CertificatePolicy.Default;
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
            int Number(int min, int max, int fallback, ref string? problem)
            {
                var name = args[i];
                var text = Next(ref problem);
                if (text is null)
                {
                    return fallback;
                }
                if (int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                {
                    return value;
                }
                problem = $"{name} must be a whole number from {min} to {max}, not '{text}'";
                return fallback;
            }
            TimeSpan Duration(TimeSpan fallback, ref string? problem)
            {
                var name = args[i];
                var text = Next(ref problem);
                if (text is null)
                {
                    return fallback;
                }
                if (DurationText.Parse(text) is { } value && value > TimeSpan.Zero)
                {
                    return value;
                }
                problem = $"{name} must be a whole number of days, hours, minutes or seconds (90d, 720h, 30m, 45s), not '{text}'";
                return fallback;
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
                case "--resync-period": resync = TimeSpan.FromSeconds(Number(1, 86_400, (int)resync.TotalSeconds, ref error)); break;
                case "--metrics-port": metricsPort = Number(0, 65_535, metricsPort, ref error); break;
                case "--certificate-validity": certificates = certificates with { Validity = Duration(certificates.Validity, ref error) }; break;
                case "--renew-before": certificates = certificates with { RenewBefore = Duration(certificates.RenewBefore, ref error) }; break;
                case "--ca-validity": certificates = certificates with { CaValidity = Duration(certificates.CaValidity, ref error) }; break;
                case "--ca-renew-before": certificates = certificates with { CaRenewBefore = Duration(certificates.CaRenewBefore, ref error) }; break;
                case "--metrics-bind":
                    bind = Next(ref error) ?? bind;
                    if (error is null && !IPAddress.TryParse(bind, out _))
                    {
                        error = $"--metrics-bind must be an IP address, not '{bind}'";
                    }
                    break;
                case "--log-format":
                    var format = Next(ref error);
                    json = format == "json";
                    if (error is null && format is not ("json" or "text"))
                    {
                        error = $"--log-format is text or json, not '{format}'";
                    }
                    break;
                default: error = $"unknown argument '{args[i]}'"; break;
            }
        }
        if (error is null && all && ns is not null)
        {
            error = "--namespace and --all-namespaces exclude each other";
        }
        error ??= certificates.Problem();
        return error is null
            ? new OperatorArguments(kubeconfig, ns, all, elect, leaseNamespace, image, domain, resync, metricsPort, bind, json, certificates)
            : null;
    }
}
