namespace Dispatch.Core.Contracts;

/// <summary>Methods a customer's tracking view calls on <c>/hubs/tracking</c>.</summary>
public interface ITrackingHub
{
    /// <summary>Joins the order's live feed with the tracking token from the link; returns the current state.</summary>
    Task<TrackingSnapshot> Subscribe(string token);

    /// <summary>Approves (or rejects) the over-cap receipt of the link's own order; <paramref name="orderId"/> must be that order.</summary>
    Task<ReceiptChanged> DecideReceipt(string token, Guid orderId, bool approve);

    /// <summary>Rates the link's own delivered order, 1–5 stars and an optional comment; once.</summary>
    Task<RatingView> Rate(string token, Guid orderId, int stars, string? comment);
}
