using System.Collections.Concurrent;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// The board connections open on this node, so that after a Redis outage (frames through the backplane may have reached
/// nobody) each can be told to watch its zone again, straight from this node.
/// </summary>
internal sealed class LocalBoards
{
    private readonly ConcurrentDictionary<string, byte> _watching = new(StringComparer.Ordinal);

    public void Watching(string connectionId) => _watching[connectionId] = 0;

    public void Left(string connectionId) => _watching.TryRemove(connectionId, out _);

    public IReadOnlyList<string> ConnectionIds => [.. _watching.Keys];
}
