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

    public int Calls { get; private set; }

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
        Calls++;
        return Fails ? throw new InvalidOperationException($"{name} failed on purpose") : ValueTask.FromResult(Status);
    }
}
