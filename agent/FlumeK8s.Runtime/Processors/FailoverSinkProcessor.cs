using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Processors;

/// <summary>
/// Runs the live sink with the highest priority. A sink that throws is parked for
/// min(maxpenalty, 1 s × 2^failures); parked sinks whose time is up are tried first, and rejoin
/// the live set when they succeed. With no live sink left the delivery fails.
/// </summary>
public sealed class FailoverSinkProcessor : ISinkProcessor
{
    private readonly TimeProvider _time;
    private readonly CappedBackoff _penalty;
    private readonly IReadOnlyDictionary<ISink, int> _priority;
    private readonly List<ISink> _live;
    private readonly List<Parked> _parked = [];

    public FailoverSinkProcessor(IReadOnlyList<ISink> sinks, IReadOnlyDictionary<string, int> priorities, TimeSpan maxPenalty, TimeProvider time)
    {
        Sinks = sinks;
        _time = time;
        _penalty = Penalty.UpTo(maxPenalty);
        _priority = sinks.ToDictionary(s => s, s => priorities.GetValueOrDefault(s.Name));
        _live = [.. sinks];
        SortLive();
    }

    public IReadOnlyList<ISink> Sinks { get; }

    /// <summary>The sink that runs next unless a parked one is due; null when all are parked.</summary>
    public ISink? ActiveSink => _live.Count > 0 ? _live[0] : null;

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var parked in _parked.Where(p => p.Until <= now).OrderByDescending(p => _priority[p.Sink]).ToList())
        {
            try
            {
                var status = await parked.Sink.ProcessAsync(cancellationToken).ConfigureAwait(false);
                _parked.Remove(parked);
                _live.Add(parked.Sink);
                SortLive();
                return status;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _parked.Remove(parked);
                Park(parked.Sink, parked.Failures + 1);
            }
        }
        while (_live.Count > 0)
        {
            var sink = _live[0];
            try
            {
                return await sink.ProcessAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _live.RemoveAt(0);
                Park(sink, 1);
            }
        }
        throw new SinkDeliveryException("All sinks of the failover group failed; they are parked until their penalty ends");
    }

    private void Park(ISink sink, int failures) =>
        _parked.Add(new Parked(sink, failures, _time.GetUtcNow() + _penalty.Delay(failures)));

    private void SortLive() => _live.Sort((a, b) => _priority[b].CompareTo(_priority[a]));

    private sealed record Parked(ISink Sink, int Failures, DateTimeOffset Until);
}
