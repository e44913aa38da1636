namespace Dispatch.Tests.Infrastructure;

/// <summary>Node A of a deployment on Monaco's road network (one database, one Redis, the backplane); tests start node B with <see cref="NodeAsync"/>.</summary>
public sealed class MultiNodeRoadServer : RoadNetworkServer
{
    public Task<ExtraNode> NodeAsync() => ExtraNode.StartAsync(ExtraNode.SettingsOf(this));
}
