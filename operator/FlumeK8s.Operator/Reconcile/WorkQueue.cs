using FlumeK8s.Runtime.Backoff;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Keys waiting to be reconciled: a key queued twice is reconciled once; a key being reconciled is
/// never reconciled by two workers at once (it is queued again if it changes meanwhile); failures come
/// back after an exponential, capped delay.
/// </summary>
internal sealed class WorkQueue(TimeProvider time)
{
    private static readonly CappedBackoff RetryDelay = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2));
    private readonly object _gate = new();
    private readonly LinkedList<TierKey> _ready = new();
    private readonly HashSet<TierKey> _queued = [];
    private readonly HashSet<TierKey> _active = [];
    private readonly HashSet<TierKey> _dirty = [];
    private readonly Dictionary<TierKey, int> _failures = [];
    private readonly SemaphoreSlim _available = new(0);

    /// <summary>Keys waiting to be taken (not those being reconciled).</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    public void Add(TierKey key)
    {
        lock (_gate)
        {
            if (_active.Contains(key))
            {
                _dirty.Add(key);
                return;
            }
            if (!_queued.Add(key))
            {
                return;
            }
            _ready.AddLast(key);
        }
        _available.Release();
    }

    public void AddAfter(TierKey key, TimeSpan delay)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Add(key);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Schedules a retry after a failure: 200 ms, 400 ms, … up to 2 minutes.</summary>
    public void Retry(TierKey key)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }
        AddAfter(key, RetryDelay.Delay(failures));
    }

    public void Forget(TierKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public async Task<TierKey> TakeAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var key = _ready.First!.Value;
            _ready.RemoveFirst();
            _queued.Remove(key);
            _active.Add(key);
            return key;
        }
    }

    /// <summary>Marks the key's reconcile finished; a change seen meanwhile queues it again.</summary>
    public void Done(TierKey key)
    {
        bool again;
        lock (_gate)
        {
            _active.Remove(key);
            again = _dirty.Remove(key);
        }
        if (again)
        {
            Add(key);
        }
    }
}
