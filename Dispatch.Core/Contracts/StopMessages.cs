using Dispatch.Core.Errands;

namespace Dispatch.Core.Contracts;

/// <summary>
/// One intermediate stop of a multi-stop errand as the courier, the customer and the API see it. <paramref name="Index"/> is
/// its 0-based position (what <c>CompleteStop</c> takes); <paramref name="DoneAt"/> is null while it is still to do. Degrees.
/// </summary>
public sealed record StopView(int Index, double Lat, double Lon, string Address, StopAction Action, string? Note, DateTimeOffset? DoneAt);

/// <summary>A courier marked a stop done: the stop, how many of the order's stops are done, and the timeline note.</summary>
public sealed record StopCompleted(Guid OrderId, string OrderNumber, StopView Stop, int Done, int Total, string Note, DateTimeOffset At);
