namespace Dispatch.Core.Matching;

/// <summary>
/// The tunables of the cost model and the feasibility rules. Every cost term is in seconds (of a courier's time, or
/// its equivalent), so terms add up and an explanation can show each one.
/// </summary>
public sealed record DispatchPolicy
{
    public static DispatchPolicy Default { get; } = new();

    /// <summary>Frozen goods may spend at most this long between pickup and hand-over, counting every stop before theirs.</summary>
    public TimeSpan ColdChainBudget { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A courier who would reach the pickup later than this after the goods are ready (after now, when they are ready
    /// already), plus however long the order has waited since it was placed, may not take it: the search widens to a
    /// faster or nearer courier, or the order waits for one; one nobody faster comes for is still sent in the end.
    /// </summary>
    public TimeSpan PickupWithin { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary><see cref="PickupWithin"/> for hot food, which goes cold on the counter.</summary>
    public TimeSpan HotFoodPickupWithin { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Each second the order would arrive after its promised time costs this many seconds.</summary>
    public double LatenessWeight { get; init; } = 2;

    /// <summary>Each second a courier would stand at the pickup waiting for the goods costs this many seconds.</summary>
    public double ReadyWaitWeight { get; init; } = 0.5;

    /// <summary>A courier is sent at most this long before they must leave to arrive when the goods are ready (late commitment).</summary>
    public TimeSpan CommitAhead { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Fairness: each euro per online hour a courier earns above the candidates' mean costs this many seconds (below: saves).</summary>
    public double FairnessSecondsPerEuroPerHour { get; init; } = 20;

    /// <summary>The fairness term never moves a courier by more than this many seconds either way.</summary>
    public double FairnessMaxSeconds { get; init; } = 120;

    /// <summary>Without a trip plan (orders on board unknown), each order already on board costs this many seconds.</summary>
    public double LoadPenaltySecondsPerOrder { get; init; } = 240;

    /// <summary>Time spent at each stop (parking, handing over), seconds.</summary>
    public double StopServiceSeconds { get; init; } = 60;

    /// <summary>Adding an order may delay the orders already on board by at most this much in total.</summary>
    public TimeSpan MaxAddedDelay { get; init; } = TimeSpan.FromMinutes(12);

    /// <summary>
    /// A bundle's trip may have at most this many stops still to make (pickups, errand stops, drop-offs; stops at one place
    /// count once, so a same-restaurant bundle's pickups are one stop). An order alone is never refused for its own stops.
    /// </summary>
    public int MaxTripStops { get; init; } = 6;

    /// <summary>Crow-fly distance × this factor for legs of a trip plan (streets are not straight).</summary>
    public double DetourFactor { get; init; } = Routing.StraightLineTravelTime.DefaultDetourFactor;

    /// <summary>
    /// Batch rounds ranked with freeing couriers: a busy courier whose trip ends within this is a candidate at its last
    /// drop-off, so an order waits for its best courier instead of pulling a worse one across town.
    /// </summary>
    public TimeSpan FreeingHorizon { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Added to a freeing courier's seconds to pickup: their trip may run late, and on a tie the courier free now goes while
    /// the busy one stays free for what comes next.
    /// </summary>
    public double FreeingMarginSeconds { get; init; } = 60;

    /// <summary>
    /// Batch rounds: each second since an order was placed lowers the cost of serving it now by this many seconds, so the
    /// oldest orders get the couriers when not all can, and an order waiting for a better courier is eventually sent. A
    /// quarter, not 1: at 1 an order 20 min older pulled a courier 20 min further across town, and on short-handed evenings
    /// those drives cost more orders at shift end than they saved (Grubhub benchmark: 59 undelivered instead of 64).
    /// </summary>
    public double AgeWeight { get; init; } = 0.25;

    /// <summary>
    /// Batch rounds: an order may wait for a later round instead of taking a courier, priced as a courier this far from
    /// its pickup (without the age credit), so a young order is not given a courier much further away than that.
    /// </summary>
    public TimeSpan WaitHorizon { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Batch rounds: most orders of one pickup that one courier with nothing on board is sent for together; they are
    /// bundled before the matching when orders outnumber couriers (the size follows that ratio). 1: no bundles.
    /// </summary>
    public int MaxBundle { get; init; } = 1;

    /// <summary>Orders bundled together are ready within this of each other.</summary>
    public TimeSpan BundleReadySpread { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Batch rounds: orders whose goods are ready within this are planned with a courier even when that courier is not
    /// sent yet (late commitment holds the order with its courier), so a courier one of them needs is not given to another;
    /// orders ready later sit the round out.
    /// </summary>
    public TimeSpan ReadyHorizon { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Batch rounds price an order by the seconds until it would be delivered; each second of the courier's drive to the
    /// pickup adds this much more, so of two couriers who deliver about as soon the nearer goes and the other stays free.
    /// </summary>
    public double DriveWeight { get; init; } = 0.25;
}
