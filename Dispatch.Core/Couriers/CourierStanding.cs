namespace Dispatch.Core.Couriers;

/// <summary>What an admin decided about a courier: the review, whether they are suspended, and what was verified.</summary>
public sealed record CourierStanding(CourierReview Review, bool Suspended, Equipment VerifiedEquipment, int VerifiedCapacity);
