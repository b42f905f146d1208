using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>A sink whose outcome the test decides, recording each time it ran. For testing what drives sinks.</summary>
public sealed class ScriptedSink(string name, TimeProvider? time = null) : ISink
{
    public string Name => name;

    public IChannel Channel { get; } = new MemoryChannel("c-" + name, new MemoryChannelSettings(10, 10, TimeSpan.Zero, 1000), time ?? TimeProvider.System);

    public SinkCounter Counter { get; } = new(name, "scripted");

    public bool Fails { get; set; }

    public PollStatus Status { get; set; } = PollStatus.Ready;

    private int _calls;
    private int _inProgress;
    private int _mostInProgress;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, every call waits for it (until cancelled): for counting calls in progress at once.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>The most calls that were in progress at the same time.</summary>
    public int MostInProgress => Volatile.Read(ref _mostInProgress);

    /// <summary>How many of the next start attempts fail, as a sink whose directory may not be written does.</summary>
    public int FailingStarts { get; set; }

    public int StartAttempts { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        StartAttempts++;
        return FailingStarts-- > 0 ? throw new UnauthorizedAccessException($"Access to the path '/{name}' is denied") : Task.CompletedTask;
    }

    public ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Fails)
        {
            throw new InvalidOperationException($"{name} failed on purpose");
        }
        return Hold is { } hold ? HeldAsync(hold, cancellationToken) : ValueTask.FromResult(Status);
    }

    private async ValueTask<PollStatus> HeldAsync(TaskCompletionSource hold, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inProgress);
        for (var most = MostInProgress; now > most; most = MostInProgress)
        {
            Interlocked.CompareExchange(ref _mostInProgress, now, most);
        }
        try
        {
            await hold.Task.WaitAsync(cancellationToken);
            return Status;
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }
}
