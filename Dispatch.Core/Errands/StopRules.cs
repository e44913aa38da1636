using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Errands;

/// <summary>
/// The rules of multi-stop errands. Between the pickup and the final drop-off an order may have up to <see cref="MaxStops"/>
/// intermediate stops, done in the order given, each once, and only while the courier carries the order (after pickup,
/// before delivery). Delivery with the PIN waits until every stop is done. Stops are numbered from 1 for people ("stop 2 of 3")
/// and indexed from 0 on the wire (the position in the order's <c>stops</c> array). Pure: no I/O, no clock.
/// </summary>
public static class StopRules
{
    /// <summary>Most intermediate stops an order may have.</summary>
    public const int MaxStops = 5;

    /// <summary>Longest stop address and stop note, characters.</summary>
    public const int MaxTextLength = 300;

    /// <summary>Prefix of every stop note in the timeline, so pages can tell them from status steps.</summary>
    public const string NotePrefix = "stop ";

    /// <summary>The courier marks stop <paramref name="index"/> (0-based) done at <paramref name="now"/>.</summary>
    public static StopDecision Complete(string orderNumber, OrderStatus status, IReadOnlyList<ErrandStop> stops, int index, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (stops.Count == 0) return StopDecision.Refuse($"Order {orderNumber} has no stops between pickup and drop-off; deliver it with the customer's PIN.");
        if (OrderStateMachine.IsTerminal(status)) return StopDecision.Refuse($"Order {orderNumber} is already {status}; its stops can no longer change.");
        if (!OrderStateMachine.IsCarrying(status))
            return StopDecision.Refuse($"Pick up order {orderNumber} first: its stops come after the pickup. The order is {status}.");
        if (index < 0 || index >= stops.Count)
            return StopDecision.Refuse($"Order {orderNumber} has {Plural(stops.Count)}; there is no stop {(long)index + 1}.");
        var stop = stops[index];
        if (stop.DoneAt is { } doneAt)
            return StopDecision.Refuse($"Stop {index + 1} of {stops.Count} ({stop.Label}) of order {orderNumber} was already done at {doneAt:HH:mm} UTC.");
        if (FirstOpen(stops) is { } open && open < index)
            return StopDecision.Refuse($"Do {Name(open, stops)} first: the stops of order {orderNumber} go in order.");

        var after = stops.ToArray();
        after[index] = stop with { DoneAt = now };
        return new StopDecision(after, $"{NotePrefix}{index + 1} of {stops.Count} done: {stop.Label}", null);
    }

    /// <summary>Why the order cannot be delivered yet because of its stops, or null when every stop is done (or there are none).</summary>
    public static string? BlocksDelivery(string orderNumber, IReadOnlyList<ErrandStop> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (FirstOpen(stops) is not { } open) return null;
        var more = stops.Count(s => !s.IsDone) - 1;
        var rest = more > 0 ? $" and {more} more after it" : "";
        return $"Order {orderNumber} still has {Name(open, stops)}{rest} to do; mark it done before delivering.";
    }

    /// <summary>0-based index of the first stop still to do, or null when all are done.</summary>
    public static int? FirstOpen(IReadOnlyList<ErrandStop> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        for (var i = 0; i < stops.Count; i++)
        {
            if (!stops[i].IsDone) return i;
        }
        return null;
    }

    /// <summary>Where the courier still has to stop before the final drop-off, in order.</summary>
    public static IReadOnlyList<LatLon> Remaining(IReadOnlyList<ErrandStop> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        return [.. stops.Where(s => !s.IsDone).Select(s => s.At)];
    }

    /// <summary>"stop 2 of 3 (Pressing Grimaldi)".</summary>
    public static string Name(int index, IReadOnlyList<ErrandStop> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        return $"stop {index + 1} of {stops.Count} ({stops[index].Label})";
    }

    private static string Plural(int count) => count == 1 ? "1 stop" : $"{count} stops";
}
