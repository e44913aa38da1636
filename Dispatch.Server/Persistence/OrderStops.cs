using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Core.Geo;

namespace Dispatch.Server.Persistence;

/// <summary>Reads and writes a multi-stop errand's stops (<see cref="OrderRecord.Stops"/>, jsonb) and shows them.</summary>
internal static class OrderStops
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The order's stops in order; empty for an ordinary order.</summary>
    public static IReadOnlyList<ErrandStop> Read(OrderRecord order) => Read(order.Stops);

    public static IReadOnlyList<ErrandStop> Read(string? json) =>
        string.IsNullOrEmpty(json)
            ? []
            : [.. (JsonSerializer.Deserialize<StopRecord[]>(json, Json) ?? []).Select(s => new ErrandStop(new LatLon(s.Lat, s.Lon), s.Address, s.Action, s.Note, s.DoneAt))];

    /// <summary>The jsonb value for these stops; null when there are none (an ordinary order).</summary>
    public static string? Write(IReadOnlyList<ErrandStop> stops) =>
        stops.Count == 0
            ? null
            : JsonSerializer.Serialize(stops.Select(s => new StopRecord(s.At.Lat, s.At.Lon, s.Address, s.Action, s.Note, s.DoneAt)), Json);

    /// <summary>The stops as the courier, the customer and the API see them; null for an ordinary order.</summary>
    public static StopView[]? Views(OrderRecord order)
    {
        var stops = Read(order);
        return stops.Count == 0 ? null : [.. stops.Select(View)];
    }

    public static StopView View(ErrandStop stop, int index) =>
        new(index, stop.At.Lat, stop.At.Lon, stop.Address, stop.Action, stop.Note, stop.DoneAt);

    /// <summary>Where the courier still has to stop before the drop-off (for ETAs and routes); empty when none.</summary>
    public static IReadOnlyList<LatLon> Remaining(OrderRecord order) => StopRules.Remaining(Read(order));
}
