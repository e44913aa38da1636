namespace Dispatch.Core.Contracts;

/// <summary>Methods a customer's tracking view calls on <c>/hubs/tracking</c>.</summary>
public interface ITrackingHub
{
    /// <summary>Joins the order's live feed with the tracking token from the link; returns the current state.</summary>
    Task<TrackingSnapshot> Subscribe(string token);
}
