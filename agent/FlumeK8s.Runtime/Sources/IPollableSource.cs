namespace FlumeK8s.Runtime.Sources;

/// <summary>A source that does one unit of work per call; the runner backs off when it reports nothing to do.</summary>
public interface IPollableSource : ISource
{
    ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken);
}
