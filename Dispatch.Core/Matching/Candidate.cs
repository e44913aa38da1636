using Dispatch.Core.Couriers;

namespace Dispatch.Core.Matching;

/// <summary>
/// A courier found near the pickup, with the GEOSEARCH distance in metres, the orders they hold (null when unknown: then
/// each counts a flat load penalty) and what they earned per online hour this shift, in cents (null: no fairness term).
/// </summary>
public readonly record struct Candidate(CourierSnapshot Courier, double DistanceMetres, IReadOnlyList<CarriedOrder>? Carrying = null, double? EarnedCentsPerHour = null);
