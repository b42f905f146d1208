using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// Standard process and runtime figures next to Flume's, so memory and allocation can be watched
/// (and benchmarked) from outside: <c>process_resident_memory_bytes</c>,
/// <c>process_peak_resident_memory_bytes</c>, <c>dotnet_gc_allocated_bytes_total</c>,
/// <c>dotnet_gc_heap_size_bytes</c> once the Prometheus exporter has replaced the dots.
/// </summary>
internal static class ProcessInstruments
{
    public static void AddTo(Meter meter)
    {
        meter.CreateObservableGauge("process.resident_memory_bytes", () => Environment.WorkingSet);
        meter.CreateObservableGauge("process.peak_resident_memory_bytes", PeakWorkingSet);
        meter.CreateObservableCounter("dotnet.gc.allocated_bytes_total", () => GC.GetTotalAllocatedBytes(precise: false));
        meter.CreateObservableGauge("dotnet.gc.heap_size_bytes", () => GC.GetTotalMemory(forceFullCollection: false));
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
