using Dispatch.Courier.Api;

namespace Dispatch.Courier.Simulation;

/// <summary>An order the simulator is about to place, with the amount its payment callback will report.</summary>
internal sealed record PlannedOrder(NewOrder Order, decimal Amount);
