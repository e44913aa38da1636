namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// Node A of a three-node deployment (one database, one Redis, the SignalR backplane): couriers connect here; tests start
/// nodes B and C with <see cref="NodeAsync"/>. Boards refresh every 200 ms on every node.
/// </summary>
public sealed class MultiNodeServer : DispatchServer
{
    private static readonly Dictionary<string, string?> Shared = new()
    {
        ["ControlRoom:RefreshMilliseconds"] = "200",
        ["ControlRoom:KpiRefreshSeconds"] = "1",
    };

    protected override void Configure(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in Shared) settings[key] = value;
    }

    public Task<ExtraNode> NodeAsync() => ExtraNode.StartAsync(ExtraNode.SettingsOf(this, Shared));
}
