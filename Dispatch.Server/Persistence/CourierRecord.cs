using Dispatch.Core.Couriers;

namespace Dispatch.Server.Persistence;

/// <summary>
/// A courier (table couriers): who they are, where onboarding stands, and what an admin verified. Dispatch works with
/// <see cref="Equipment"/> and <see cref="Capacity"/> (verified), never with more than that; the account that signs in as
/// this courier points here (accounts.courier_id).
/// </summary>
internal sealed class CourierRecord
{
    public Guid Id { get; set; }

    /// <summary>Unique login handle, e.g. "demo-007".</summary>
    public string Handle { get; set; } = "";

    public string Name { get; set; } = "";

    public string Phone { get; set; } = "";

    public Vehicle Vehicle { get; set; }

    /// <summary>Equipment an admin verified (cold box seen, certificate checked); None until approved.</summary>
    public Equipment Equipment { get; set; }

    /// <summary>Orders at once an admin allowed.</summary>
    public int Capacity { get; set; } = 2;

    /// <summary>Equipment the courier said they have when registering.</summary>
    public Equipment ClaimedEquipment { get; set; }

    public CourierReview Review { get; set; }

    /// <summary>Document references given at registration (licence, cold-box certificate…): a JSON array of {kind, reference}.</summary>
    public string Documents { get; set; } = "[]";

    /// <summary>Why the registration was rejected (shown to the courier).</summary>
    public string? RejectionReason { get; set; }

    /// <summary>Set while an admin has suspended the courier: they cannot go online.</summary>
    public DateTimeOffset? SuspendedAt { get; set; }

    /// <summary>The admin who last approved, rejected, suspended or reinstated, and when.</summary>
    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
