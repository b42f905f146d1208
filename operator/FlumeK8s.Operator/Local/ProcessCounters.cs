using System.Globalization;
using System.Text.Json;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// A process's counters across its starts: a killed and restarted agent counts from zero again, so
/// what its earlier runs counted is kept as a baseline. Also its drain rate between two readings.
/// </summary>
internal sealed class ProcessCounters
{
    private MetricsSample _baseline = MetricsSample.Zero;
    private MetricsSample _current = MetricsSample.Zero;
    private int _starts;
    private long? _lastTimestamp;
    private long _lastOut;

    public MetricsSample Total => _baseline.Plus(_current);

    public double OutRate { get; private set; }

    public async Task RefreshAsync(LocalAgentProcess process, HttpClient http, long now, TimeProvider time, CancellationToken cancellationToken)
    {
        if (process.Starts != _starts)
        {
            _baseline = _baseline.Plus(_current) with { ChannelSize = 0, FillPercentage = 0 };
            _current = MetricsSample.Zero;
            _starts = process.Starts;
        }
        if (process.IsRunning)
        {
            try
            {
                var json = await http.GetStringAsync(string.Create(CultureInfo.InvariantCulture, $"http://{LocalPlacement.Loopback}:{process.Spec.AdminPort}/metrics"), cancellationToken);
                _current = MetricsSample.Parse(json);
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
                // Starting, stopping or just killed: the last reading stands.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Too busy to answer in time: the last reading stands.
            }
            catch (JsonException)
            {
                // Cut short by a kill: the last reading stands.
            }
        }
        var total = Total.Out;
        if (_lastTimestamp is { } last && time.GetElapsedTime(last, now) is { TotalSeconds: > 0.2 } elapsed)
        {
            OutRate = Math.Max(0, total - _lastOut) / elapsed.TotalSeconds;
        }
        if (_lastTimestamp is null || time.GetElapsedTime(_lastTimestamp.Value, now).TotalSeconds > 0.2)
        {
            _lastTimestamp = now;
            _lastOut = total;
        }
    }
}
