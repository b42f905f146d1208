using Xunit.Abstractions;
using Xunit.Sdk;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>One control plane, with the controller-manager, shared by a whole test collection.</summary>
public sealed class KubeControlPlaneFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    // Covers building the binaries when no cache exists yet, then starting.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(35);

    private KubeControlPlane? _controlPlane;

    public KubeControlPlane ControlPlane =>
        _controlPlane ?? throw new InvalidOperationException("The control plane has not been started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _controlPlane = await KubeControlPlane.StartAsync(withControllerManager: true, timeout.Token);
        diagnostics.OnMessage(new DiagnosticMessage(
            $"envtest: control plane at {_controlPlane.ServerUrl} ready in {_controlPlane.StartupDuration.TotalSeconds:F1} s " +
            $"(binaries from {_controlPlane.AssetsDirectory})"));
    }

    public async Task DisposeAsync()
    {
        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }
    }
}
