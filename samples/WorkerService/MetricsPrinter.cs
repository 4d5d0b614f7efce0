using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EnclaveGen;

namespace WorkerService.App;

/// <summary>Listens to the EnclaveGen meter and sums what it records about the Tally enclave, per instrument and tag.</summary>
internal sealed class MetricsPrinter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, (long Count, double Sum)> _totals = new(StringComparer.Ordinal);

    public MetricsPrinter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EnclaveDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public void Print(TextWriter output)
    {
        foreach ((string key, (long count, double sum)) in _totals.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine(key.EndsWith(".duration", StringComparison.Ordinal) || key.Contains(".duration{", StringComparison.Ordinal)
                ? $"  {key}: {count} measured, mean {sum / count * 1e6:F1} us"
                : $"  {key}: {sum:F0} in {count} measurement(s)");
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string key = instrument.Name;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "enclavegen.enclave" && !Equals(tag.Value, "WorkerService.Tally"))
            {
                return;
            }

            if (tag.Key is "enclavegen.method" or "enclavegen.direction" or "enclavegen.reason")
            {
                key += $"{{{tag.Value}}}";
            }
        }

        _totals.AddOrUpdate(key, (1, value), (_, total) => (total.Count + 1, total.Sum + value));
    }
}
