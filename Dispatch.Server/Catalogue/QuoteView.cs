using Dispatch.Core.Pricing;

namespace Dispatch.Server.Catalogue;

/// <summary>A quote as the customer sees it: the price breakdown, the ETA, the trip and until when it may be ordered.</summary>
internal sealed record QuoteView(
    Guid Id,
    string ServiceId,
    ServiceKind Kind,
    string Zone,
    string Currency,
    int TotalCents,
    PriceLine[] Lines,
    double Metres,
    bool ByRoad,
    int EtaMinutes,
    QuotePlace Pickup,
    QuotePlace[] Stops,
    QuotePlace Dropoff,
    DateTimeOffset ExpiresAt);
