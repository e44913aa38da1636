namespace Dispatch.Core.Pricing;

/// <summary>
/// What a price depends on: the trip's length (metres, by road or estimated), the stops between pickup and drop-off,
/// whether it needs the cold chain, and the local time of day of the request (minutes after midnight).
/// </summary>
public sealed record PricedTrip(double Metres, int ExtraStops, bool ColdChain, int LocalMinuteOfDay);
