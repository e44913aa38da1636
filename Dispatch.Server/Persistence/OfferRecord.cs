namespace Dispatch.Server.Persistence;

/// <summary>
/// An offer of one order to one courier, with a lease (table offers). Several rows sharing a <see cref="BundleId"/> are one
/// bundle offer: orders of one pickup offered to one courier together, accepted or declined whole.
/// </summary>
internal sealed class OfferRecord
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    public Guid CourierId { get; set; }

    public OfferStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RespondedAt { get; set; }

    public string? Reason { get; set; }

    /// <summary>Place in the ranking (0 = best) and the cost terms that put it there, for "why this courier".</summary>
    public int Rank { get; set; }

    public double DistanceMetres { get; set; }

    public double Cost { get; set; }

    /// <summary>The bundle offer this order is part of (the id the courier is shown and accepts by); null for an offer of one order.</summary>
    public Guid? BundleId { get; set; }

    /// <summary>
    /// A bundle's row other than the one that stands for it in <c>ix_offers_one_pending_per_courier</c>: a courier holds one
    /// pending offer, and a bundle counts once. False for an offer of one order and for the bundle's lead row.
    /// </summary>
    public bool BundleFollower { get; set; }
}
