using Dispatch.Core.Couriers;

namespace Dispatch.Server.Onboarding;

/// <summary>An admin's review action: on approve, the equipment verified and the capacity allowed; on reject or suspend, why.</summary>
internal sealed record CourierReviewRequest(Equipment? VerifiedEquipment = null, int? Capacity = null, string? Reason = null);
