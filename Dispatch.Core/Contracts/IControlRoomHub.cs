namespace Dispatch.Core.Contracts;

/// <summary>Methods a dispatcher's board calls on <c>/hubs/control</c>.</summary>
public interface IControlRoomHub
{
    /// <summary>Starts the live feed of a zone and returns every courier on its map now.</summary>
    Task<BoardFrame> Watch(string zone);
}
