using Dispatch.Core.Alerts;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// Gathers what changed on each zone's board — couriers each location flush moved, orders and alerts the control-room
/// refresh saw change — and sends it to the zone's boards as one frame at most every
/// <see cref="DispatchOptions.BoardFrameMilliseconds"/>; a courier moving (or an order changing) twice in that time is sent once.
/// Sending happens only from the flush loop; the refresh and the hub add from other threads, under <see cref="_sync"/>.
/// </summary>
internal sealed class BoardFrames(IHubContext<ControlRoomHub, IControlRoomClient> hub, Couriers.CourierNames names, IOptions<DispatchOptions> options, TimeProvider clock)
{
    private sealed class Pending
    {
        public readonly Dictionary<Guid, BoardCourier> Couriers = [];
        public readonly Dictionary<Guid, BoardOrder> Orders = [];
        public readonly HashSet<Guid> Removed = [];
        public Alert[]? Alerts;
        public BoardKpis? Kpis;

        public bool IsEmpty => Couriers.Count == 0 && Orders.Count == 0 && Removed.Count == 0 && Alerts is null && Kpis is null;
    }

    private readonly Lock _sync = new();
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSent = DateTimeOffset.MinValue;

    public BoardCourier ToBoard(CourierSnapshot c) => new(c.CourierId, c.Lat, c.Lon, c.At, c.Activity, c.ActiveOrders, names.Find(c.CourierId));

    /// <summary>Couriers to show again (e.g. their name was just learnt).</summary>
    public void AddCouriers(IEnumerable<CourierSnapshot> couriers)
    {
        lock (_sync)
        {
            foreach (var c in couriers) ZoneOf(c.Zone).Couriers[c.CourierId] = ToBoard(c);
        }
    }

    /// <summary>Orders that opened or changed, and orders that are no longer open.</summary>
    public void AddOrders(string zone, IEnumerable<BoardOrder> changed, IEnumerable<Guid> removed)
    {
        lock (_sync)
        {
            var p = ZoneOf(zone);
            foreach (var o in changed)
            {
                p.Orders[o.OrderId] = o;
                p.Removed.Remove(o.OrderId);
            }
            foreach (var id in removed)
            {
                p.Orders.Remove(id);
                p.Removed.Add(id);
            }
        }
    }

    /// <summary>The zone's whole list of unacknowledged alerts, newest first.</summary>
    public void SetAlerts(string zone, Alert[] alerts)
    {
        lock (_sync) ZoneOf(zone).Alerts = alerts;
    }

    public void SetKpis(string zone, BoardKpis kpis)
    {
        lock (_sync) ZoneOf(zone).Kpis = kpis;
    }

    /// <summary>Called by the flush loop every tick with the couriers it moved (possibly none); sends when a frame is due.</summary>
    public async Task AddAndMaybeSendAsync(IEnumerable<CourierSnapshot> moved)
    {
        var now = clock.GetUtcNow();
        List<BoardFrame>? frames = null;
        lock (_sync)
        {
            foreach (var c in moved) ZoneOf(c.Zone).Couriers[c.CourierId] = ToBoard(c);
            if (now - _lastSent < TimeSpan.FromMilliseconds(options.Value.BoardFrameMilliseconds)) return;
            _lastSent = now;
            foreach (var (zone, p) in _pending)
            {
                if (p.IsEmpty) continue;
                (frames ??= []).Add(new BoardFrame(zone, now, [.. p.Couriers.Values],
                    p.Orders.Count > 0 ? [.. p.Orders.Values] : null, p.Removed.Count > 0 ? [.. p.Removed] : null, p.Alerts, p.Kpis));
                p.Couriers.Clear();
                p.Orders.Clear();
                p.Removed.Clear();
                p.Alerts = null;
                p.Kpis = null;
            }
        }
        if (frames is null) return;
        foreach (var frame in frames) await hub.Clients.Group(ControlRoomHub.Group(frame.Zone)).Frame(frame);
    }

    private Pending ZoneOf(string zone)
    {
        if (!_pending.TryGetValue(zone, out var p)) _pending[zone] = p = new Pending();
        return p;
    }
}
