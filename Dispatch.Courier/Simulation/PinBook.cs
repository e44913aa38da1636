using System.Collections.Concurrent;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Delivery PINs of the orders this simulator created, by order id: the simulated customer tells the courier.
/// With a file, the book outlives the run (one "order-id pin" line per order, appended as orders are created), so
/// couriers who resume a job from an earlier run can still hand it over.
/// </summary>
internal sealed class PinBook
{
    private readonly ConcurrentDictionary<Guid, string> _pins = new();
    private readonly string? _file;
    private readonly Lock _append = new();

    public PinBook(string? file = null)
    {
        _file = file;
        if (file is null || !File.Exists(file)) return;
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && Guid.TryParse(parts[0], out var id)) _pins[id] = parts[1];
        }
    }

    public int Count => _pins.Count;

    public void Add(Guid orderId, string pin)
    {
        _pins[orderId] = pin;
        if (_file is null) return;
        lock (_append) File.AppendAllText(_file, $"{orderId:D} {pin}\n");
    }

    public string? Find(Guid orderId) => _pins.TryGetValue(orderId, out var pin) ? pin : null;
}
