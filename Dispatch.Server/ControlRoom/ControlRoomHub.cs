using Dispatch.Core.Contracts;
using Dispatch.Core.Zones;
using Dispatch.Server.Auth;
using Dispatch.Server.Fleet;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.ControlRoom;

/// <summary>The control-room board's hub at /hubs/control: dispatchers and admins watch a zone's couriers, orders and alerts live.</summary>
[Authorize(Roles = $"{Roles.Dispatcher},{Roles.Admin}")]
internal sealed class ControlRoomHub(ZoneMap zones, FleetReader locator, Couriers.CourierNames names, BoardFrames frames, ControlRoomCoordinator board, LocalBoards local,
    TimeProvider clock)
    : Hub<IControlRoomClient>, IControlRoomHub
{
    public static string Group(string zone) => $"board:{zone}";

    public async Task<BoardFrame> Watch(string zone)
    {
        Hubs.HubArguments.Text(nameof(Watch), nameof(zone), zone, 100);
        if (zones.ByName(zone) is null) throw new HubException($"Zone '{zone}' is not served here; see GET /api/zones.");
        if (ZoneScope.Of(Context.User!).Refusal(zone) is { } refused) throw new HubException(refused);
        // Join first, then read: anything that changes after the read arrives in a frame, so nothing falls in between.
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(zone), Context.ConnectionAborted);
        local.Watching(Context.ConnectionId);
        var couriers = await locator.AllInZoneAsync(zone);
        await names.LoadMissingAsync(couriers.Select(c => c.CourierId), Context.ConnectionAborted);
        var state = await board.StateAsync(zone, Context.ConnectionAborted);
        return new BoardFrame(zone, clock.GetUtcNow(), [.. couriers.Select(frames.ToBoard)], state.Orders, null, state.Alerts, state.Kpis);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        local.Left(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
