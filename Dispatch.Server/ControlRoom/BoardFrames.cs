using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// Gathers the couriers each location flush moved, per zone, and sends them to the zone's boards as one frame at most
/// every <see cref="DispatchOptions.BoardFrameMilliseconds"/>; a courier moving twice in that time is sent once.
/// Called only from the flush loop (single-threaded).
/// </summary>
public sealed class BoardFrames(IHubContext<ControlRoomHub, IControlRoomClient> hub, IOptions<DispatchOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, Dictionary<Guid, BoardCourier>> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSent = DateTimeOffset.MinValue;

    public static BoardCourier ToBoard(CourierSnapshot c) => new(c.CourierId, c.Lat, c.Lon, c.At, c.Activity, c.ActiveOrders);

    public async Task AddAndMaybeSendAsync(IEnumerable<CourierSnapshot> moved)
    {
        foreach (var c in moved)
        {
            if (!_pending.TryGetValue(c.Zone, out var zone)) _pending[c.Zone] = zone = [];
            zone[c.CourierId] = ToBoard(c);
        }
        var now = clock.GetUtcNow();
        if (now - _lastSent < TimeSpan.FromMilliseconds(options.Value.BoardFrameMilliseconds)) return;
        _lastSent = now;
        foreach (var (zone, couriers) in _pending)
        {
            if (couriers.Count == 0) continue;
            await hub.Clients.Group(ControlRoomHub.Group(zone)).Frame(new BoardFrame(zone, now, [.. couriers.Values]));
            couriers.Clear();
        }
    }
}
