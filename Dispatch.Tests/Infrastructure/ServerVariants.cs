using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Broadcast dispatch: every order is offered to the two best couriers at once (first accept wins).</summary>
public sealed class BroadcastServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Dispatch:OfferFanout"] = "2";
}

/// <summary>Offers expire after 2 s and the loop ticks every 100 ms, so expiry can be watched in a test.</summary>
public sealed class ShortOfferServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:OfferTimeoutSeconds"] = "2";
        settings["Dispatch:LoopIntervalMilliseconds"] = "100";
    }
}

/// <summary>
/// The control room with short alert limits and a fast refresh: a courier silent 5 s is stale (test couriers' first fixes
/// are timestamped up to 30 s in the past, so they show as stale at once), and boards refresh every 200 ms.
/// </summary>
public sealed class ControlRoomServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ControlRoom:StaleCourierSeconds"] = "5";
        settings["ControlRoom:RefreshMilliseconds"] = "200";
        settings["ControlRoom:KpiRefreshSeconds"] = "1";
    }
}

/// <summary>
/// Batch dispatch in every zone, with a window so long the loop never runs a round during a test: tests run rounds
/// themselves through <c>BatchRound.RunAsync</c> (the loop's own call), so a burst is one round.
/// </summary>
public sealed class BatchServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:Strategy"] = "batch";
        settings["Dispatch:BatchWindowSeconds"] = "300";
    }

    /// <summary>
    /// A courier next to the casino (insulated box, room for three) who was offered a frozen order in a batch round and
    /// accepted it: the trip rules keep hot food away from them.
    /// </summary>
    public async Task<TestCourier> CourierHoldingFrozenAtCasinoAsync(string handlePrefix)
    {
        var courier = await OnlineCourierAtAsync(handlePrefix, CasinoLat, CasinoLon + 0.0002, Dispatch.Core.Couriers.Equipment.InsulatedBox, capacity: 3);
        var frozen = await CreateOrderAsync(OrderBody(kind: "frozen"));
        await PayAsync(frozen.Id);
        Assert.Equal(1, await Services.GetRequiredService<Dispatch.Server.Dispatching.BatchRound>().RunAsync("monaco", CancellationToken.None));
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == frozen.Id, what: "the frozen order's offer")).OfferId);
        return courier;
    }
}

/// <summary>Batch dispatch (as <see cref="BatchServer"/>) whose rounds of two or more moves are written in two halves at once.</summary>
public sealed class SplitBatchServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:Strategy"] = "batch";
        settings["Dispatch:BatchWindowSeconds"] = "300";
        settings["Dispatch:BatchWriteSplitFrom"] = "2";
    }
}
