namespace Dispatch.Server.Tracking;

/// <summary>SignalR group names, in one place.</summary>
public static class TrackingGroups
{
    public static string Order(Guid orderId) => $"order:{orderId:N}";
}
