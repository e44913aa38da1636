namespace Dispatch.Server.Tracking;

/// <summary>SignalR group names, in one place.</summary>
internal static class TrackingGroups
{
    public static string Order(Guid orderId) => $"order:{orderId:N}";
}
