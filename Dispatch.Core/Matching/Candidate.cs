using Dispatch.Core.Couriers;

namespace Dispatch.Core.Matching;

/// <summary>A courier found near the pickup, with the GEOSEARCH distance in metres.</summary>
public sealed record Candidate(CourierSnapshot Courier, double DistanceMetres);
