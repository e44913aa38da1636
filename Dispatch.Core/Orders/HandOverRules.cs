using System.Globalization;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Orders;

/// <summary>
/// The hand-over at the drop-off: where the courier must stand and how many wrong PINs an order takes before PIN entry
/// locks. Pure: the server counts the tries in the order's row and passes the courier's last fix.
/// </summary>
public static class HandOverRules
{
    /// <summary>The refusal once PIN entry is locked; the same for every caller, whatever PIN they send.</summary>
    public static string Locked(int maxWrongTries) =>
        $"PIN entry is locked after {maxWrongTries} wrong tries; call the dispatcher to unlock";

    /// <summary>True when the order has used up its wrong tries.</summary>
    public static bool IsLocked(int wrongTries, int maxWrongTries) => wrongTries >= maxWrongTries;

    /// <summary>The refusal of a wrong PIN, with the tries left (or the lock when none are).</summary>
    public static string WrongPin(string orderNumber, OrderStatus status, int wrongTries, int maxWrongTries)
    {
        if (IsLocked(wrongTries, maxWrongTries)) return $"Wrong PIN for order {orderNumber}. {Locked(maxWrongTries)}.";
        var left = maxWrongTries - wrongTries;
        return $"Wrong PIN for order {orderNumber}; ask the customer for the 4-digit code ({left} {(left == 1 ? "try" : "tries")} left). The order stays {status}.";
    }

    /// <summary>
    /// Null when a courier at <paramref name="courierAt"/> may hand over at <paramref name="dropoff"/>, else why not.
    /// A dispatcher's waiver (<paramref name="waived"/>) allows any place, even an unknown one.
    /// </summary>
    public static string? PlaceRefusal(string orderNumber, LatLon? courierAt, LatLon dropoff, double maxMetres, bool waived)
    {
        if (waived) return null;
        if (courierAt is not { } at)
            return $"Your position is unknown, so order {orderNumber} cannot be delivered yet; turn on location and send a fix at the drop-off, or call the dispatcher.";
        var metres = GeoMath.DistanceMetres(at, dropoff);
        if (metres <= maxMetres) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"You are {metres:0} m from the drop-off of order {orderNumber}; deliver within {maxMetres:0} m of it, or call the dispatcher.");
    }
}
