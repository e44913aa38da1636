namespace Dispatch.Server.Persistence;

/// <summary>An offer of one order to one courier, with a lease (table offers).</summary>
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
}
