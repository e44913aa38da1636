namespace Dispatch.Core.Couriers;

/// <summary>
/// What a courier going online is allowed to work with: refused unless approved and not suspended; otherwise the lesser of
/// what they claim for this shift and what an admin verified (a claim can only lower it: a box left at home), with a
/// notice when they claimed more than was verified. Pure.
/// </summary>
public static class ShiftAllowance
{
    public sealed record Decision(string? Refusal, Equipment Equipment, int Capacity, string? Notice);

    public static Decision Decide(CourierStanding standing, Equipment claimedEquipment, int claimedCapacity)
    {
        var refusal = standing switch
        {
            { Review: CourierReview.Pending } => "Your registration is waiting for review; you can go online once an admin approves it.",
            { Review: CourierReview.Rejected } => "Your registration was rejected; contact the operator.",
            { Suspended: true } => "Your account is suspended; contact the operator.",
            _ => null,
        };
        if (refusal is not null) return new Decision(refusal, Equipment.None, 0, null);
        var equipment = claimedEquipment > standing.VerifiedEquipment ? standing.VerifiedEquipment : claimedEquipment;
        var capacity = Math.Min(claimedCapacity, standing.VerifiedCapacity);
        var notices = new List<string>(2);
        if (claimedEquipment > standing.VerifiedEquipment)
            notices.Add($"You claimed {claimedEquipment} but only {standing.VerifiedEquipment} was verified; you will be offered orders for {standing.VerifiedEquipment}.");
        if (claimedCapacity > standing.VerifiedCapacity)
            notices.Add($"You claimed a capacity of {claimedCapacity} but {standing.VerifiedCapacity} was verified; you will carry at most {standing.VerifiedCapacity}.");
        return new Decision(null, equipment, capacity, notices.Count == 0 ? null : string.Join(" ", notices));
    }

    /// <summary>Why an admin's review action cannot apply to a courier in <paramref name="review"/>, or null when it can.</summary>
    public static string? CheckReview(CourierReview review, bool suspended, string action) => (action, review, suspended) switch
    {
        ("approve", CourierReview.Approved, _) => "This courier is already approved; suspend or reinstate them instead.",
        ("reject", CourierReview.Approved, _) => "This courier is already approved; suspend them instead.",
        ("reject", CourierReview.Rejected, _) => "This courier is already rejected.",
        ("suspend", not CourierReview.Approved, _) => "Only an approved courier can be suspended; reject a registration instead.",
        ("suspend", _, true) => "This courier is already suspended.",
        ("reinstate", _, false) => "This courier is not suspended.",
        _ => null,
    };
}
