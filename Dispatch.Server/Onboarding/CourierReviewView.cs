using Dispatch.Core.Couriers;

namespace Dispatch.Server.Onboarding;

/// <summary>A courier as the review queue and the courier themselves see it (the phone masked: reading it whole is audited).</summary>
internal sealed record CourierReviewView(
    Guid CourierId,
    string Handle,
    string Name,
    string Phone,
    Vehicle Vehicle,
    Equipment ClaimedEquipment,
    Equipment VerifiedEquipment,
    int Capacity,
    CourierReview Review,
    bool Suspended,
    string? RejectionReason,
    CourierDocument[] Documents,
    DateTimeOffset RegisteredAt,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt);
