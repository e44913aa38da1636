namespace Dispatch.Tests.Infrastructure;

/// <summary>A server whose Monaco zone has the generated street grid (no OpenStreetMap extract needed).</summary>
public sealed class GridNetworkServer : RoadNetworkServer
{
    /// <summary>The demo zone's box (appsettings.json), streets every 150 m.</summary>
    public const string Grid = "grid:43.722,7.405,43.752,7.44,150";

    protected override string? NetworkSource() => Grid;
}
