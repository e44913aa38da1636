namespace Dispatch.Core.Geo;

/// <summary>A WGS84 position in degrees. Latitude first, as people say it; NTS and Redis take longitude first.</summary>
public readonly record struct LatLon(double Lat, double Lon)
{
    public bool IsFinite => double.IsFinite(Lat) && double.IsFinite(Lon);

    public bool IsInRange => IsFinite && Lat is >= -90 and <= 90 && Lon is >= -180 and <= 180;

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Lat:0.######},{Lon:0.######}");

    /// <summary>Parses "lat,lon" with invariant culture; returns null when malformed.</summary>
    public static LatLon? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',');
        if (parts.Length != 2) return null;
        var style = System.Globalization.NumberStyles.Float;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return double.TryParse(parts[0], style, culture, out var lat) && double.TryParse(parts[1], style, culture, out var lon)
            ? new LatLon(lat, lon)
            : null;
    }
}
