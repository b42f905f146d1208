using System.Diagnostics.Metrics;
using System.Globalization;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// Reads the Flume instruments of one Meter on demand, through the same <see cref="MeterListener"/>
/// mechanism every exporter uses, for the readers that answer a request (Flume's JSON at
/// <c>/metrics</c>). Instruments of other Meters, including other registries' Meters of the same
/// name, are never enabled.
/// </summary>
internal sealed class FlumeAttributeReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly FlumeInstruments _instruments;
    private readonly Lock _reading = new();
    private List<FlumeSample> _samples = [];

    public FlumeAttributeReader(Meter meter, FlumeInstruments instruments)
    {
        _instruments = instruments;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instruments.TryFind(instrument.Name, out _))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            Record(instrument, value.ToString(CultureInfo.InvariantCulture), tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            Record(instrument, value.ToString(CultureInfo.InvariantCulture), tags));
        _listener.Start();
    }

    /// <summary>Every Flume attribute of every registered component, measured now, in instrument order.</summary>
    public IReadOnlyList<FlumeSample> Read()
    {
        // The lock makes concurrent requests take turns over the one listener. What runs under it is the
        // instruments' callbacks, which only read interlocked fields and take no lock of their own.
        lock (_reading)
        {
            _samples = [];
            _listener.RecordObservableInstruments();
            return _samples;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, string value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? component = null, type = null;
        foreach (var (key, tag) in tags)
        {
            if (key == "component")
            {
                component = tag as string;
            }
            else if (key == "type")
            {
                type = tag as string;
            }
        }
        if (component is not null && type is not null && _instruments.TryFind(instrument.Name, out var attribute))
        {
            _samples.Add(new FlumeSample(attribute, component, type, value));
        }
    }
}
