namespace Dispatch.Core.Simulation;

/// <summary>Time and pay parameters of an MDRP instance. Times in whole minutes, pay in dollars.</summary>
public sealed record MdrpParameters(
    double MetersPerMinute,
    int PickupServiceMinutes,
    int DropoffServiceMinutes,
    int TargetClickToDoorMinutes,
    int MaximumClickToDoorMinutes,
    double PayPerOrder,
    double PayPerHour);

/// <summary>A restaurant; coordinates in metres (UTM without zone).</summary>
public sealed record MdrpRestaurant(string Id, double X, double Y);

/// <summary>An order: drop-off at (X, Y) metres, placed and ready at whole minutes of the day.</summary>
public sealed record MdrpOrder(string Id, double X, double Y, int PlacementTime, int Restaurant, int ReadyTime);

/// <summary>A courier shift: on duty at (X, Y) metres from OnTime to OffTime, whole minutes of the day.</summary>
public sealed record MdrpCourier(string Id, double X, double Y, int OnTime, int OffTime);

/// <summary>
/// One Grubhub Meal Delivery Routing Problem instance. Orders reference restaurants by index into
/// <see cref="Restaurants"/>.
/// </summary>
public sealed record MdrpInstance(
    MdrpParameters Parameters,
    IReadOnlyList<MdrpRestaurant> Restaurants,
    IReadOnlyList<MdrpOrder> Orders,
    IReadOnlyList<MdrpCourier> Couriers)
{
    /// <summary>Minutes between two points: ceil(Euclidean metres ÷ metres per minute), the problem's rule.</summary>
    public int TravelMinutes(double x1, double y1, double x2, double y2)
    {
        double dx = x2 - x1, dy = y2 - y1, squared = (dx * dx) + (dy * dy);
        var mpm = Parameters.MetersPerMinute;
        var minutes = (int)Math.Ceiling(Math.Sqrt(squared) / mpm);
        // Square roots can land a hair off an exact multiple; settle on the smallest t with (t·mpm)² ≥ distance².
        while (minutes > 0 && (minutes - 1) * mpm * (minutes - 1) * mpm >= squared) minutes--;
        while (minutes * mpm * minutes * mpm < squared) minutes++;
        return minutes;
    }

    /// <summary>Minutes of the pickup service before the pickup moment (the rest follows it).</summary>
    public int PickupBefore => (Parameters.PickupServiceMinutes + 1) / 2;

    public int PickupAfter => Parameters.PickupServiceMinutes - PickupBefore;

    /// <summary>Minutes of the drop-off service before the drop-off moment (the rest follows it).</summary>
    public int DropoffBefore => (Parameters.DropoffServiceMinutes + 1) / 2;

    public int DropoffAfter => Parameters.DropoffServiceMinutes - DropoffBefore;
}
