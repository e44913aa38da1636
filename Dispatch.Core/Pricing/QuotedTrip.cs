using Dispatch.Core.Geo;

namespace Dispatch.Core.Pricing;

/// <summary>The trip a quote priced, or the trip an order asks for: the service and the places in order (pickup, stops, drop-off).</summary>
public sealed record QuotedTrip(string ServiceId, IReadOnlyList<LatLon> Places);
