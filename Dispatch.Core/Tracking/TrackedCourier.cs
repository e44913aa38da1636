using Dispatch.Core.Geo;

namespace Dispatch.Core.Tracking;

/// <summary>
/// The assigned courier as the server knows them: full name, phone, and (when live) the exact position, when it was
/// fixed and the ETA to the drop-off already padded, seconds.
/// </summary>
public sealed record TrackedCourier(string? Name, string? Phone, LatLon? Position = null, DateTimeOffset? At = null, int EtaSeconds = 0);
