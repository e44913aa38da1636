namespace Dispatch.Core.Streets;

/// <summary>A web-mercator tile address (the XYZ scheme Leaflet requests: x east from 180°W, y south from ~85°N).</summary>
public readonly record struct StreetTile(int Z, int X, int Y)
{
    /// <summary>The tile's west, south, east and north edges in degrees (X = lon, Y = lat).</summary>
    public (double West, double South, double East, double North) Bounds()
    {
        var n = Math.Pow(2, Z);
        return (X / n * 360 - 180, Latitude(Y + 1, n), (X + 1) / n * 360 - 180, Latitude(Y, n));
    }

    public override string ToString() => $"{Z}/{X}/{Y}";

    private static double Latitude(int y, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
}
