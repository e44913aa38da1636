namespace Dispatch.Server.Auth;

/// <summary>What a route's values name, for <see cref="ZoneScopeFilter"/> to find the zone(s) it touches.</summary>
internal enum ZoneScopeTarget
{
    /// <summary>{zone}: the zone itself.</summary>
    Zone,

    /// <summary>{id}: an order, in its zone.</summary>
    Order,

    /// <summary>{id}: a courier, by the zones of the orders they hold.</summary>
    CourierOrders,
}
