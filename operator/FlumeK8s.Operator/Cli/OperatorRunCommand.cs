using System.Net;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Observability;
using FlumeK8s.Operator.Reconcile;
using FlumeK8s.Operator.Rendering;
using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Cli;

/// <summary>
/// <c>flumek8s operator</c>: connects (in-cluster, or --kubeconfig), waits to lead (a Lease, unless
/// --no-leader-elect), then watches and reconciles tiers until SIGTERM/SIGINT, and releases the lease
/// on the way out so another replica takes over at once.
/// </summary>
internal static partial class OperatorRunCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = OperatorArguments.Parse(args, out var error);
        if (parsed is null)
        {
            await stderr.WriteLineAsync($"flumek8s operator: {error}\n{OperatorCommand.Usage}".AsMemory(), cancellationToken);
            return OperatorCommand.ExitUsage;
        }
        KubernetesClientConfiguration connection;
        try
        {
            connection = Connect(parsed.Kubeconfig);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"flumek8s operator: {e.Message}".AsMemory(), cancellationToken);
            return 1;
        }
        using var logs = LoggerFactory.Create(b =>
        {
            if (parsed.JsonLogs)
            {
                b.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
            }
            else
            {
                b.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
                });
            }
            b.AddFilter("Microsoft", LogLevel.Warning);
        });
        var logger = logs.CreateLogger("flumek8s-operator");
        using var client = new KubeClient(connection);
        var watched = parsed.AllNamespaces ? null : parsed.Namespace ?? client.DefaultNamespace;
        var metrics = new OperatorMetrics();
        var readiness = new OperatorReadiness();
        // The operator's own namespace (its Lease's) keeps the CA Secrets, out of the tiers' namespaces.
        var home = parsed.LeaseNamespace ?? client.DefaultNamespace;
        var controller = new OperatorController(client, watched, new RenderOptions(parsed.Image, parsed.ClusterDomain), TimeProvider.System, logs,
            parsed.ResyncPeriod, metrics, readiness, parsed.Certificates, home);
        await using var endpoint = new OperatorEndpoint(metrics, readiness, logs);
        try
        {
            await endpoint.StartAsync(IPAddress.Parse(parsed.MetricsBind), parsed.MetricsPort, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0; // SIGTERM while starting
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"flumek8s operator: cannot serve metrics on {parsed.MetricsBind}:{parsed.MetricsPort}: {e.Message}".AsMemory(), CancellationToken.None);
            return 1;
        }
        LogStarting(logger, watched ?? "all namespaces", client.Server.ToString(), endpoint.Port);
        try
        {
            await RunAsync(parsed, client, controller, metrics, readiness, logger, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM: the normal way to stop.
        }
        if (!cancellationToken.IsCancellationRequested)
        {
            // Leadership lost (the Lease could not be renewed within its deadline): another replica
            // may be reconciling already. Exit non-zero so the pod restarts and campaigns again.
            LogLostLease(logger);
            return 1;
        }
        LogStopped(logger);
        return 0;
    }

    // --kubeconfig names a file; without it, a pod uses its service account and anything else the
    // kubeconfig kubectl would use ($KUBECONFIG, merged, or ~/.kube/config).
    private static KubernetesClientConfiguration Connect(string? kubeconfig) =>
        kubeconfig is null && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
            ? KubeConfig.InCluster()
            : KubeConfig.FromKubeconfig(kubeconfig);

    private static async Task RunAsync(OperatorArguments parsed, KubeClient client, OperatorController controller,
        OperatorMetrics metrics, OperatorReadiness readiness, ILogger logger, CancellationToken cancellationToken)
    {
        if (!parsed.LeaderElect)
        {
            metrics.SetLeader(true);
            await controller.RunAsync(cancellationToken);
            return;
        }
        // A standby waiting for the Lease is ready: a rollout must be able to replace the leader.
        readiness.Ready();
        var identity = $"{Environment.MachineName}-{Environment.ProcessId}";
        var elector = new LeaderElector(client.Kubernetes, parsed.LeaseNamespace ?? client.DefaultNamespace, "flumek8s-operator", identity,
            TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
        await elector.RunAsync(async leading =>
        {
            LogLeading(logger, identity);
            metrics.SetLeader(true);
            try
            {
                await controller.RunAsync(leading);
            }
            finally
            {
                metrics.SetLeader(false);
            }
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator starting: watching {Scope} on {Server}; metrics and probes on port {Port}")]
    private static partial void LogStarting(ILogger logger, string scope, string server, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is the leader: reconciling")]
    private static partial void LogLeading(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lost the lease (not renewed within its deadline): stopping")]
    private static partial void LogLostLease(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator stopped")]
    private static partial void LogStopped(ILogger logger);
}
