namespace Dispatch.Core.Contracts;

/// <summary>Pushes to a dispatcher's board on <c>/hubs/control</c>.</summary>
public interface IControlRoomClient
{
    Task Frame(BoardFrame frame);

    /// <summary>Frames to this board may have been lost (Redis came back after an outage): watch the zone again for a fresh one.</summary>
    Task Refresh();
}
