namespace Dispatch.Core.Contracts;

/// <summary>Methods a dispatcher's board calls on <c>/hubs/control</c>. Commands (assign, acknowledge, cancel) are HTTP endpoints.</summary>
public interface IControlRoomHub
{
    /// <summary>Starts the live feed of a zone and returns everything on its board now: couriers, open orders, alerts, key figures.</summary>
    Task<BoardFrame> Watch(string zone);
}
