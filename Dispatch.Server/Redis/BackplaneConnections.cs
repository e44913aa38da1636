using StackExchange.Redis;

namespace Dispatch.Server.Redis;

/// <summary>
/// The SignalR backplane's own Redis connections (one per hub, each opened at the hub's first use), made here rather than
/// inside the backplane so that what needs their reconnects can hear them: a push published before a node's backplane has
/// subscribed again reaches nobody on it.
/// </summary>
internal sealed class BackplaneConnections
{
    private readonly Lock _gate = new();
    private readonly List<IConnectionMultiplexer> _opened = [];
    private Action<IConnectionMultiplexer>? _onOpened;

    /// <summary>The backplane's connection factory: connects with the backplane's configuration (its channel prefix).</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration, TextWriter log)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration, log);
        Action<IConnectionMultiplexer>? opened;
        lock (_gate)
        {
            _opened.Add(connection);
            opened = _onOpened;
        }
        opened?.Invoke(connection);
        return connection;
    }

    /// <summary>Calls <paramref name="opened"/> for every connection opened so far and each one opened later.</summary>
    public void Watch(Action<IConnectionMultiplexer> opened)
    {
        IConnectionMultiplexer[] already;
        lock (_gate)
        {
            _onOpened += opened;
            already = [.. _opened];
        }
        foreach (var connection in already) opened(connection);
    }
}
