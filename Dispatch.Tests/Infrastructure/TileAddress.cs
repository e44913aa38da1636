namespace Dispatch.Tests.Infrastructure;

/// <summary>The XYZ web-mercator tile holding a point, as Leaflet asks for it.</summary>
public static class TileAddress
{
    public static (int Z, int X, int Y) Of(double lat, double lon, int zoom)
    {
        var n = 1 << zoom;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var y = (int)Math.Floor((1 - Math.Asinh(Math.Tan(lat * Math.PI / 180)) / Math.PI) / 2 * n);
        return (zoom, x, y);
    }

    public static string Path(double lat, double lon, int zoom)
    {
        var (z, x, y) = Of(lat, lon, zoom);
        return $"/api/tiles/{z}/{x}/{y}.mvt";
    }
}
