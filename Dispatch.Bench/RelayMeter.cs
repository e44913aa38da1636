using System.Diagnostics.Metrics;
using Dispatch.Server;

namespace Dispatch.Bench;

/// <summary>Listens to the server's relay histograms: batches and their time, and the time the consumers took of it.</summary>
public sealed class RelayMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private double _batchMs;
    private double _consumerMs;

    public RelayMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DispatchMetrics.MeterName && instrument.Name is "dispatch.outbox.batch.duration" or "dispatch.outbox.consumer.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
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
                    _consumerMs += value;
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
                : $"{_batches} batches, mean {_batchMs / _batches:F1} ms ({_consumerMs / _batches:F1} ms in consumers), {(double)metrics.Snapshot().OutboxRelayed / _batches:F0} events/batch";
        }
    }

    public void Dispose() => _listener.Dispose();
}
