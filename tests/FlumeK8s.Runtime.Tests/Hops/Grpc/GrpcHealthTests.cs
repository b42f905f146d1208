using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>The hop port's standard grpc.health.v1 service, asked by the gRPC C core (python3-grpcio) as Kubernetes' gRPC probe would.</summary>
public sealed class GrpcHealthTests : IDisposable
{
    private readonly PythonGrpc _python = new();

    public void Dispose() => _python.Dispose();

    [Fact]
    public async Task Health_ReadyThenDraining_ServingThenNotServing()
    {
        string? notReady = null;
        var pipeline = new TestPipeline();
        pipeline.Services.Readiness.Attach(() => notReady);
        var source = await GrpcHarness.StartSourceAsync(pipeline);
        try
        {
            var target = $"127.0.0.1:{source.Port}";
            await AssertHealthAsync(0, "SERVING", "--target", target);

            notReady = "draining: emptying its channels before removal, not accepting new events";
            await AssertHealthAsync(0, "NOT_SERVING", "--target", target);

            notReady = null;
            await AssertHealthAsync(0, "SERVING", "--target", target);
            await AssertHealthAsync(1, "NOT_FOUND", "--target", target, "--service", "no.such.Service");
            Assert.Equal(0, source.Counter.Get("EventReadFail"));
        }
        finally
        {
            await source.StopAsync(default);
        }
    }

    private async Task AssertHealthAsync(int exitCode, string answer, params string[] arguments)
    {
        var (code, lines) = await _python.RunAsync("health.py", arguments);
        Assert.True(code == exitCode && lines.SequenceEqual([answer]), $"expected {answer} (exit {exitCode}), got exit {code}: {string.Join('\n', lines)}");
    }
}
