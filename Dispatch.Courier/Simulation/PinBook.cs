using System.Collections.Concurrent;

namespace Dispatch.Courier.Simulation;

/// <summary>Delivery PINs of the orders this simulator created, by order id: the simulated customer tells the courier.</summary>
internal sealed class PinBook
{
    private readonly ConcurrentDictionary<Guid, string> _pins = new();

    public int Count => _pins.Count;

    public void Add(Guid orderId, string pin) => _pins[orderId] = pin;

    public string? Find(Guid orderId) => _pins.TryGetValue(orderId, out var pin) ? pin : null;
}
