using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// How a simulated courier behaves like a person: accepts most offers after a moment's thought, declines the
/// rest with a reason, waits at the counter, rides at a personal pace, wanders a little when idle.
/// All randomness comes from the injected <see cref="Random"/>, so a seed replays the same choices.
/// </summary>
internal sealed class CourierBehaviour
{
    public const string BusyReason = "Busy with another delivery";

    private static readonly string[] DeclineReasons =
    [
        "Too far away",
        "Taking a short break",
        "Not heading that way",
        "Phone battery low",
        "Bag is full",
        "Finishing my shift soon",
    ];

    private readonly Random _random;

    public CourierBehaviour(Random random, double acceptProbability = 0.85, double wanderChancePerTick = 0.03)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(acceptProbability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(acceptProbability, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(wanderChancePerTick);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wanderChancePerTick, 1);
        _random = random;
        AcceptProbability = acceptProbability;
        WanderChancePerTick = wanderChancePerTick;
    }

    public double AcceptProbability { get; }

    public double WanderChancePerTick { get; }

    /// <summary>Accept or decline after a human delay of 1–6 s. A busy courier always declines.</summary>
    public OfferDecision DecideOffer(bool busy)
    {
        var delay = Between(1, 6);
        if (busy) return new(false, delay, BusyReason);
        return _random.NextDouble() < AcceptProbability
            ? new(true, delay, null)
            : new(false, delay, DeclineReasons[_random.Next(DeclineReasons.Length)]);
    }

    /// <summary>Time at the pickup counter before the goods are handed over: 20–60 s.</summary>
    public TimeSpan PickupWait() => Between(20, 60);

    /// <summary>Time until the next GPS fix: 1–2 s.</summary>
    public TimeSpan NextFixInterval() => Between(1, 2);

    /// <summary>Reported GPS accuracy, metres: 3–15.</summary>
    public double FixAccuracy() => 3 + 12 * _random.NextDouble();

    /// <summary>This courier's riding speed, metres per second: 80–110 % of the vehicle's typical urban speed.</summary>
    public double CruiseSpeed(Vehicle vehicle) => VehicleSpeeds.TypicalMetresPerSecond(vehicle) * (0.8 + 0.3 * _random.NextDouble());

    /// <summary>While idle, now and then drift 50–300 m somewhere else in the area; null means stay put this tick.</summary>
    public LatLon? WanderTarget(LatLon from, ZoneArea area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return _random.NextDouble() < WanderChancePerTick ? area.RandomPointNear(from, 50, 300, _random) : null;
    }

    private TimeSpan Between(double minSeconds, double maxSeconds) =>
        TimeSpan.FromSeconds(minSeconds + (maxSeconds - minSeconds) * _random.NextDouble());
}
