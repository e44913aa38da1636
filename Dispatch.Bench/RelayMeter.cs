using System.Diagnostics.Metrics;
using Dispatch.Server;

namespace Dispatch.Bench;

/// <summary>Listens to the server's relay histograms: batches and their time, and each consumer's time (they run at once).</summary>
internal sealed class RelayMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private double _batchMs;
    private readonly SortedDictionary<string, double> _consumerMs = new(StringComparer.Ordinal);

    public RelayMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DispatchMetrics.MeterName && instrument.Name is "dispatch.outbox.batch.duration" or "dispatch.outbox.consumer.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            lock (_listener)
            {
                if (instrument.Name == "dispatch.outbox.batch.duration")
                {
                    _batches++;
                    _batchMs += value;
                }
                else
                {
                    var consumer = "?";
                    foreach (var tag in tags) if (tag.Key == "consumer") consumer = tag.Value as string ?? "?";
                    _consumerMs[consumer] = _consumerMs.GetValueOrDefault(consumer) + value;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Batches so far, their mean time and the consumers' share of it, as one line.</summary>
    public string Line(DispatchMetrics metrics)
    {
        lock (_listener)
        {
            return _batches == 0 ? "no batch yet"
                : $"{_batches} batches, mean {_batchMs / _batches:F1} ms (consumers: {string.Join(", ", _consumerMs.Select(c => $"{c.Key} {c.Value / _batches:F1}"))} ms), {(double)metrics.Snapshot().OutboxRelayed / _batches:F0} events/batch";
        }
    }

    public void Dispose() => _listener.Dispose();
}
