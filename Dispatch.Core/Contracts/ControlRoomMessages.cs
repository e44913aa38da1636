using Dispatch.Core.Alerts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Contracts;

/// <summary>A courier as the control-room board draws it. <paramref name="Name"/> is null until the server has looked it up.</summary>
public sealed record BoardCourier(Guid CourierId, double Lat, double Lon, DateTimeOffset At, CourierActivity Activity, int ActiveOrders, string? Name = null);

/// <summary>An open order (paid and not finished) as the board lists and draws it. Degrees; times in UTC.</summary>
public sealed record BoardOrder(
    Guid OrderId,
    string Number,
    OrderStatus Status,
    OrderKind Kind,
    bool ColdChain,
    double PickupLat,
    double PickupLon,
    string PickupAddress,
    double DropoffLat,
    double DropoffLon,
    string DropoffAddress,
    DateTimeOffset CreatedAt,
    DateTimeOffset PromisedAt,
    Guid? CourierId,
    string? CourierName);

/// <summary>
/// The zone's key figures. Orders by state count open orders; <paramref name="AcceptanceRate"/> is accepted ÷ answered
/// (accepted + declined) offers of the last hour, null without answers; <paramref name="EtaMaeSeconds"/> is the mean
/// absolute error of the drop-off time promised at accept, over orders delivered in the last 24 hours.
/// </summary>
public sealed record BoardKpis(
    int Unassigned,
    int Assigned,
    int Carrying,
    int Late,
    int ColdChainAtRisk,
    int OffersAnswered,
    double? AcceptanceRate,
    double? EtaMaeSeconds,
    int EtaSamples);

/// <summary>
/// What changed on a zone's board since the last frame (or everything, from Watch). Frames are batched (at most one per
/// zone every <c>BoardFrameMilliseconds</c>) so thousands of couriers do not flood a browser.
/// <paramref name="Couriers"/> and <paramref name="Orders"/> hold what moved or changed (replace by id);
/// <paramref name="RemovedOrders"/> the orders that are no longer open (delivered, cancelled, failed);
/// <paramref name="Alerts"/>, when present, is the whole list of unacknowledged alerts, newest first (null = unchanged);
/// <paramref name="Kpis"/>, when present, replaces the key figures.
/// </summary>
public sealed record BoardFrame(
    string Zone,
    DateTimeOffset At,
    BoardCourier[] Couriers,
    BoardOrder[]? Orders = null,
    Guid[]? RemovedOrders = null,
    Alert[]? Alerts = null,
    BoardKpis? Kpis = null);
