using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace FlumeK8s.Operator.Observability;

/// <summary>
/// What the operator counts, rendered as Prometheus text: reconciles and their failures by tier
/// kind, how long reconciles take (a histogram), the work queue's depth, watch restarts by kind,
/// and whether this replica leads. Updated from any thread; rendered on each scrape.
/// </summary>
internal sealed class OperatorMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Seconds: a reconcile is a few API calls, so most land between 10 ms and 1 s.
    private static readonly double[] Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly ConcurrentDictionary<string, long> _reconciles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _watchRestarts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> _durations = new(StringComparer.Ordinal);
    private Func<int> _queueDepth = () => 0;
    private int _leader;

    public void QueueDepthFrom(Func<int> depth) => _queueDepth = depth;

    public void CountReconcile(string kind, TimeSpan took, bool failed)
    {
        _reconciles.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (failed)
        {
            _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
        _durations.GetOrAdd(kind, _ => new Histogram(Buckets.Length)).Observe(took.TotalSeconds, Buckets);
    }

    public void CountWatchRestart(string kind) => _watchRestarts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void SetLeader(bool leading) => Volatile.Write(ref _leader, leading ? 1 : 0);

    public string Render()
    {
        var text = new StringBuilder();
        Counter(text, "flumek8s_operator_reconcile_total", "Reconciles of tiers, by tier kind.", _reconciles);
        Counter(text, "flumek8s_operator_reconcile_errors_total", "Reconciles that failed (and were retried), by tier kind.", _errors);
        text.Append("# HELP flumek8s_operator_reconcile_duration_seconds How long a reconcile took, by tier kind.\n")
            .Append("# TYPE flumek8s_operator_reconcile_duration_seconds histogram\n");
        foreach (var (kind, histogram) in _durations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            histogram.Render(text, "flumek8s_operator_reconcile_duration_seconds", kind, Buckets);
        }
        Gauge(text, "flumek8s_operator_work_queue_depth", "Tiers waiting to be reconciled.", _queueDepth());
        Counter(text, "flumek8s_operator_watch_restarts_total", "Watches that failed and listed again, by kind.", _watchRestarts);
        Gauge(text, "flumek8s_operator_leader", "1 while this replica holds the leader Lease (or runs without election).", Volatile.Read(ref _leader));
        Gauge(text, "process_resident_memory_bytes", "Resident memory of the operator process.", Environment.WorkingSet);
        Gauge(text, "dotnet_gc_heap_bytes", "Bytes of the managed heap after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, ConcurrentDictionary<string, long> byKind)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var (kind, value) in byKind.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append("{kind=\"").Append(kind).Append("\"} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(" gauge\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
