using Dispatch.Core.Pricing;

namespace Dispatch.Server.Catalogue;

/// <summary>
/// A price given to a customer, stored whole so it cannot be altered: the client only ever sends its id back. The order
/// placed from it refers to it (orders.quote_id); one order per quote.
/// </summary>
internal sealed class QuoteRecord
{
    public Guid Id { get; set; }

    public Guid CustomerId { get; set; }

    public string ServiceId { get; set; } = "";

    public ServiceKind ServiceKind { get; set; }

    public string Zone { get; set; } = "";

    /// <summary>JSON array of the places in order, pickup first and drop-off last: {lat, lon, address, action, note}.</summary>
    public string Places { get; set; } = "[]";

    /// <summary>Metres of the trip, by road when <see cref="ByRoad"/>, else straight line × the detour factor.</summary>
    public double Metres { get; set; }

    public bool ByRoad { get; set; }

    public int EtaMinutes { get; set; }

    public string Currency { get; set; } = "";

    public int TotalCents { get; set; }

    /// <summary>JSON array of the breakdown's lines: {code, label, amountCents}.</summary>
    public string Lines { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
