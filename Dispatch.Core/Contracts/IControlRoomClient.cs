namespace Dispatch.Core.Contracts;

/// <summary>Pushes to a dispatcher's board on <c>/hubs/control</c>.</summary>
public interface IControlRoomClient
{
    Task Frame(BoardFrame frame);
}
