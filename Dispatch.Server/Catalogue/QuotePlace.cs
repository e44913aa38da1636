namespace Dispatch.Server.Catalogue;

/// <summary>A place of a quote as stored and shown: pickup, stops (with what the courier does there) and drop-off. Degrees.</summary>
internal sealed record QuotePlace(double Lat, double Lon, string Address, string? Action = null, string? Note = null);
