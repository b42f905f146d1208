using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>
/// A real Kubernetes control plane for tests ("envtest"): etcd and kube-apiserver, optionally
/// kube-controller-manager, started as plain processes on free loopback ports with their state in a
/// temp folder. Admission, defaulting, CRD schema validation and garbage collection are the real
/// ones. Disposing stops every process and deletes the folder.
/// </summary>
public sealed class KubeControlPlane : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ServerProcess> _processes = [];
    private readonly HttpClient _http;
    private ServiceAccountKeys? _serviceAccountKeys;
    private string[] _apiServerArguments = [];

    private KubeControlPlane(string assetsDirectory, string workDirectory, Uri serverUrl, string token)
    {
        AssetsDirectory = assetsDirectory;
        WorkDirectory = workDirectory;
        ServerUrl = serverUrl;
        Token = token;
        KubeconfigPath = Path.Combine(workDirectory, "kubeconfig");
        var handler = new SocketsHttpHandler();
        // The API server's certificate is self-signed at start; see Kubeconfig.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        _http = new HttpClient(handler) { Timeout = ProbeTimeout };
    }

    public Uri ServerUrl { get; }

    /// <summary>A bearer token in group system:masters.</summary>
    public string Token { get; }

    public string KubeconfigPath { get; }

    /// <summary>A temp folder deleted with the control plane; tests may write manifests here.</summary>
    public string WorkDirectory { get; }

    public string AssetsDirectory { get; }

    public bool HasControllerManager { get; private set; }

    /// <summary>etcd's client URL, for tests that act on storage directly (compaction, to expire watches).</summary>
    public Uri? EtcdUrl { get; private set; }

    /// <summary>From starting etcd to the control plane being ready, binaries already at hand.</summary>
    public TimeSpan StartupDuration { get; private set; }

    /// <param name="apiServerArguments">Extra kube-apiserver flags for a test that needs them (e.g. --watch-cache=false).</param>
    public static async Task<KubeControlPlane> StartAsync(bool withControllerManager, CancellationToken cancellationToken, params string[] apiServerArguments)
    {
        var assets = await KubeAssets.LocateAsync(withControllerManager, cancellationToken);
        var workDirectory = Directory.CreateTempSubdirectory("flumek8s-envtest-").FullName;
        var ports = FreePorts.Take(3);
        var plane = new KubeControlPlane(
            assets, workDirectory, new Uri($"https://127.0.0.1:{ports[2]}"), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        try
        {
            var started = Stopwatch.StartNew();
            await plane.StartEtcdAsync(ports[0], ports[1], cancellationToken);
            await plane.StartApiServerAsync(ports[0], ports[2], apiServerArguments, cancellationToken);
            if (withControllerManager)
            {
                await plane.StartControllerManagerAsync(cancellationToken);
            }
            plane.StartupDuration = started.Elapsed;
            return plane;
        }
        catch (Exception)
        {
            await plane.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops kube-apiserver, keeps it down for <paramref name="down"/>, and starts it again on the same
    /// port, certificates and etcd: what clients see when a control plane is upgraded or fails over.
    /// </summary>
    public async Task RestartApiServerAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        var apiServer = _processes.Single(p => p.Name == "kube-apiserver");
        await apiServer.DisposeAsync();
        _processes.Remove(apiServer);
        await Task.Delay(down, cancellationToken);
        Start("kube-apiserver", _apiServerArguments);
        await WaitUntilAsync(ct => AnswersOkAsync(new Uri(ServerUrl, "/readyz"), ct), "kube-apiserver /readyz after a restart", cancellationToken);
    }

    /// <summary>Runs the real kubectl (from PATH) against this control plane.</summary>
    public CommandResult Kubectl(params string[] args)
    {
        // Its own discovery cache: another server may have had this port before.
        string[] arguments = [$"--kubeconfig={KubeconfigPath}", $"--cache-dir={Path.Combine(WorkDirectory, "kubectl-cache")}", .. args];
        return CommandRunner.RunAsync("kubectl", arguments, KubectlTimeout, CancellationToken.None).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        // Controller-manager first, etcd last, so nothing logs a storm of errors about the one gone before it.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }
        _processes.Clear();
        _http.Dispose();
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    private async Task StartEtcdAsync(int clientPort, int peerPort, CancellationToken cancellationToken)
    {
        var client = $"http://127.0.0.1:{clientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        EtcdUrl = new Uri(client);
        Start("etcd",
            $"--data-dir={Path.Combine(WorkDirectory, "etcd")}",
            $"--listen-client-urls={client}",
            $"--advertise-client-urls={client}",
            $"--listen-peer-urls={peer}",
            $"--initial-advertise-peer-urls={peer}",
            $"--initial-cluster=default={peer}");
        await WaitUntilAsync(ct => AnswersOkAsync(new Uri($"{client}/health"), ct), "etcd to be healthy", cancellationToken);
    }

    private async Task StartApiServerAsync(int etcdPort, int securePort, string[] extra, CancellationToken cancellationToken)
    {
        var keys = _serviceAccountKeys = ServiceAccountKeys.Write(WorkDirectory);
        var tokens = Path.Combine(WorkDirectory, "tokens.csv");
        await File.WriteAllTextAsync(tokens, $"{Token},admin,admin,system:masters\n", cancellationToken);
        string[] arguments =
        [
            $"--etcd-servers=http://127.0.0.1:{etcdPort}",
            "--bind-address=127.0.0.1",
            $"--secure-port={securePort}",
            "--advertise-address=127.0.0.1",
            $"--cert-dir={Path.Combine(WorkDirectory, "certs")}",
            $"--token-auth-file={tokens}",
            "--authorization-mode=RBAC",
            $"--service-account-key-file={keys.PublicKeyFile}",
            $"--service-account-signing-key-file={keys.PrivateKeyFile}",
            "--service-account-issuer=https://kubernetes.default.svc",
            "--service-cluster-ip-range=10.96.0.0/16",
            .. extra,
        ];
        _apiServerArguments = arguments;
        Start("kube-apiserver", arguments);
        Kubeconfig.Write(KubeconfigPath, ServerUrl, Token);
        await WaitUntilAsync(ct => AnswersOkAsync(new Uri(ServerUrl, "/readyz"), ct), "kube-apiserver /readyz", cancellationToken);
    }

    private async Task StartControllerManagerAsync(CancellationToken cancellationToken)
    {
        var keys = _serviceAccountKeys ?? throw new InvalidOperationException("kube-apiserver is not started");
        Start("kube-controller-manager",
            $"--kubeconfig={KubeconfigPath}",
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            "--port=0",
            "--leader-elect=false",
            $"--service-account-private-key-file={keys.PrivateKeyFile}",
            $"--root-ca-file={Path.Combine(WorkDirectory, "certs", "apiserver.crt")}",
            // The cloud and node controllers need nodes and a cloud that a test control plane lacks.
            "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-route,-service");
        HasControllerManager = true;
        // Its own health port is off; the service-account controller creating the default namespace's
        // account shows that it is connected and running its controllers. Pods need that account too.
        await WaitUntilAsync(
            ct => AnswersOkAsync(new Uri(ServerUrl, "/api/v1/namespaces/default/serviceaccounts/default"), ct),
            "kube-controller-manager to create the default service account",
            cancellationToken);
    }

    private void Start(string name, params string[] arguments) =>
        _processes.Add(ServerProcess.Start(Path.Combine(AssetsDirectory, name), arguments));

    private async Task<bool> AnswersOkAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The probe's own timeout: the server is up but busy starting.
            return false;
        }
    }

    private async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> ready, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!await ready(cancellationToken))
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException(
                    $"{exited.Name} exited with code {exited.ExitCode} while waiting for {what}. Its last output:\n{exited.LastLines()}");
            }
            if (deadline.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException(
                    $"Timed out after {ReadyTimeout.TotalSeconds:F0} s waiting for {what}. Last output:\n" +
                    string.Join("\n", _processes.Select(p => $"--- {p.Name}\n{p.LastLines()}")));
            }
            await Task.Delay(ProbeInterval, cancellationToken);
        }
    }
}
