using System.Collections.Concurrent;
using System.Diagnostics;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>The interop server script, running: its port, and every line it printed about what it received.</summary>
public sealed class PythonGrpcServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private readonly Task<string> _errors;

    public PythonGrpcServer(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        _reading = Task.Run(ReadAsync);
    }

    public IReadOnlyList<string> Events => [.. _lines.Where(l => l.StartsWith("EVENT ", StringComparison.Ordinal)).Select(l => l["EVENT ".Length..])];

    public int Rejected => _lines.Count(l => l == "REJECTED");

    public async Task<int> PortAsync()
    {
        var finished = await Task.WhenAny(_port.Task, _reading).WaitAsync(TimeSpan.FromSeconds(30));
        return finished == _port.Task ? await _port.Task : throw new InvalidOperationException("the Python gRPC server ended before listening: " + await _errors);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                _port.TrySetResult(int.Parse(line["PORT ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                _lines.Enqueue(line);
            }
        }
    }
}
