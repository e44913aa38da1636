namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// Node A of a deployment whose customer pushes go out every 100 ms at most, with no heartbeat pushes (every push in a test
/// comes from a move), and whose tracking watch marks live 3 s (a node's cached "nobody else watches" 1 s). Tests add nodes
/// with <see cref="NodeAsync"/> or <see cref="NodeProcess"/> and <see cref="NodeSettings"/>.
/// </summary>
public class TrackingFanOutServer : DispatchServer
{
    public const int ShortWatchSeconds = 3;

    public virtual int WatchSeconds => ShortWatchSeconds;

    private Dictionary<string, string?> Shared => new()
    {
        ["Dispatch:TrackingPushMinIntervalMilliseconds"] = "100",
        ["Dispatch:TrackingHeartbeatSeconds"] = "3600",
        ["Dispatch:TrackingWatchSeconds"] = WatchSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void Configure(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in Shared) settings[key] = value;
    }

    public Dictionary<string, string?> NodeSettings() => ExtraNode.SettingsOf(this, Shared);

    public Task<ExtraNode> NodeAsync() => ExtraNode.StartAsync(NodeSettings());
}
