using System.Globalization;
using System.Text.Json;
using FlumeK8s.Operator.Local;

namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// Reads every process's Flume JSON metrics and sums them per tier. A process that does not answer (busy
/// past the timeout, or stopping) keeps its last reading, so a tier's sums never go back.
/// </summary>
internal sealed class PipelineSampler(IReadOnlyList<PipelineTier> tiers)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<LocalAgentProcess, MetricsSample> _last = [];

    public async Task<PipelineSample> SampleAsync(double seconds, long written, CancellationToken cancellationToken)
    {
        var processes = tiers.SelectMany(t => t.Processes).ToList();
        var readings = await Task.WhenAll(processes.Select(p => ReadAsync(p, cancellationToken)));
        for (var i = 0; i < processes.Count; i++)
        {
            if (readings[i] is { } reading)
            {
                _last[processes[i]] = reading;
            }
        }
        var sums = tiers.Select(t => t.Processes.Aggregate(TierReading.Zero, (sum, p) => sum.Add(_last.GetValueOrDefault(p, MetricsSample.Zero)))).ToList();
        return new PipelineSample(seconds, written, sums);
    }

    private static async Task<MetricsSample?> ReadAsync(LocalAgentProcess process, CancellationToken cancellationToken)
    {
        if (!process.IsRunning)
        {
            return null;
        }
        try
        {
            var json = await Http.GetStringAsync(string.Create(CultureInfo.InvariantCulture, $"http://{LocalPlacement.Loopback}:{process.Spec.AdminPort}/metrics"), cancellationToken);
            return MetricsSample.Parse(json);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return null; // Stopping, or cut short: the last reading stands.
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // Too busy to answer within the timeout: the last reading stands.
        }
    }
}
