namespace FlumeK8s.Runtime.Topology;

// Draining on request, before a scale-down removes the pod: the sources stop (a hop source closes
// its port, so upstream sinks fail over at once) and stay stopped across reloads and channel
// reopenings, while the sinks go on emptying the channels; the process keeps running until it is
// stopped or the drain is cancelled.
public sealed partial class AgentHost
{
    private volatile bool _drainRequested; // what was asked last: readiness follows it at once
    private volatile bool _sourcesHeld;    // what is done: changed only under _gate

    /// <summary>True while a drain is asked for and not cancelled.</summary>
    public bool IsDrainRequested => _drainRequested;

    public DrainStatus DrainStatus
    {
        get
        {
            // Held is read before the channels: a cancel in between can only make Empty false.
            var held = _sourcesHeld && !_stopping;
            var channels = _current.Channels.Values.ToDictionary(c => c.Name, c => c.EventsHeld, StringComparer.Ordinal);
            var events = channels.Values.Sum();
            return new DrainStatus(IsDraining, held && events == 0, events, channels);
        }
    }

    /// <summary>
    /// Stops the sources and keeps them stopped until <see cref="CancelDrainAsync"/>; sinks keep
    /// running. Idempotent. Returns once the sources are stopped.
    /// </summary>
    public async Task<DrainStatus> DrainAsync(CancellationToken cancellationToken)
    {
        // Readiness turns false now, even while a reload holds the gate; a start that happens before
        // we get it still leaves the sources out once we have.
        _drainRequested = true;
        await MatchSourcesToRequestAsync(cancellationToken).ConfigureAwait(false);
        return DrainStatus;
    }

    /// <summary>
    /// Starts the current plan's sources again on the same channels (nothing in them is lost).
    /// Idempotent. If the sources cannot start, the agent stays draining and the error is thrown.
    /// </summary>
    public async Task<DrainStatus> CancelDrainAsync(CancellationToken cancellationToken)
    {
        _drainRequested = false;
        await MatchSourcesToRequestAsync(cancellationToken).ConfigureAwait(false);
        return DrainStatus;
    }

    // Level-based: a drain and a cancel that race end in the state asked for last.
    private async Task MatchSourcesToRequestAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = _current;
            // Read once: a request flipping it now runs this again once we release the gate.
            var drain = _drainRequested;
            if (_stopping || drain == _sourcesHeld)
            {
                return; // shutdown stops the sources itself and starts nothing again
            }
            if (drain)
            {
                _sourcesHeld = true;
                await StopSourcesAsync(running.Sources, cancellationToken).ConfigureAwait(false);
                Unregister(running.Sources, []);
                _current = running with { Sources = [] };
                LogDrainStarted(_logger);
                return;
            }
            _sourcesHeld = false;
            try
            {
                _current = running with { Sources = await StartSourcesAsync(running.Plan, running.Channels, cancellationToken).ConfigureAwait(false) };
            }
            catch
            {
                // Not ready and saying why beats ready with a closed port.
                _sourcesHeld = true;
                _drainRequested = true;
                throw;
            }
            LogDrainCancelled(_logger, running.Plan.Sources.Count);
        }
        finally
        {
            _gate.Release();
        }
    }
}
