using System.Globalization;

namespace Dispatch.Core.Simulation;

/// <summary>
/// Parses the four MDRP instance files from their text (the caller reads the files): tab- or
/// whitespace-separated, one header line, minutes and metres. Errors name the file and line.
/// </summary>
public static class MdrpInstanceReader
{
    public const string OrdersFile = "orders.txt";
    public const string RestaurantsFile = "restaurants.txt";
    public const string CouriersFile = "couriers.txt";
    public const string ParametersFile = "instance_parameters.txt";

    public static MdrpInstance Parse(string ordersText, string restaurantsText, string couriersText, string parametersText)
    {
        var parameterRow = Rows(parametersText, ParametersFile, 7).FirstOrDefault()
            ?? throw new FormatException($"{ParametersFile}: no parameter line after the header.");
        var p = parameterRow.Fields;
        var parameters = new MdrpParameters(
            Number(p[0], parameterRow),
            Integer(p[1], parameterRow),
            Integer(p[2], parameterRow),
            Integer(p[3], parameterRow),
            Integer(p[4], parameterRow),
            Number(p[5], parameterRow),
            Number(p[6], parameterRow));
        if (!(parameters.MetersPerMinute > 0)) throw new FormatException($"{ParametersFile}: meters_per_minute must be positive.");

        var restaurants = new List<MdrpRestaurant>();
        var restaurantIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in Rows(restaurantsText, RestaurantsFile, 3))
        {
            if (!restaurantIndex.TryAdd(row.Fields[0], restaurants.Count)) throw row.Error($"restaurant {row.Fields[0]} appears twice");
            restaurants.Add(new MdrpRestaurant(row.Fields[0], Number(row.Fields[1], row), Number(row.Fields[2], row)));
        }

        var orders = new List<MdrpOrder>();
        var orderIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Rows(ordersText, OrdersFile, 6))
        {
            var f = row.Fields;
            if (!orderIds.Add(f[0])) throw row.Error($"order {f[0]} appears twice");
            if (!restaurantIndex.TryGetValue(f[4], out var restaurant)) throw row.Error($"unknown restaurant {f[4]}");
            var order = new MdrpOrder(f[0], Number(f[1], row), Number(f[2], row), Integer(f[3], row), restaurant, Integer(f[5], row));
            if (order.ReadyTime < order.PlacementTime) throw row.Error("ready_time is before placement_time");
            orders.Add(order);
        }

        var couriers = new List<MdrpCourier>();
        var courierIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Rows(couriersText, CouriersFile, 5))
        {
            var f = row.Fields;
            if (!courierIds.Add(f[0])) throw row.Error($"courier {f[0]} appears twice");
            var courier = new MdrpCourier(f[0], Number(f[1], row), Number(f[2], row), Integer(f[3], row), Integer(f[4], row));
            if (courier.OffTime <= courier.OnTime) throw row.Error("off_time must be after on_time");
            couriers.Add(courier);
        }
        return new MdrpInstance(parameters, restaurants, orders, couriers);
    }

    private static IEnumerable<Row> Rows(string text, string file, int fields)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        // Line 1 is a header ("helpful information") and is skipped, as the format says.
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var row = new Row(file, i + 1, parts);
            if (parts.Length < fields) throw row.Error($"expected {fields} fields, found {parts.Length}");
            yield return row;
        }
    }

    private static double Number(string text, Row row) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw row.Error($"'{text}' is not a number");

    private static int Integer(string text, Row row) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw row.Error($"'{text}' is not a whole number of minutes");

    private sealed record Row(string File, int Line, string[] Fields)
    {
        public FormatException Error(string message) => new($"{File} line {Line}: {message}.");
    }
}
