using System.Globalization;
using System.Text;
using Dispatch.Core.Reports;

namespace Dispatch.Server.Reports;

/// <summary>A report as CSV: one line per zone and period (days, then today's hours), invariant culture, ratios 0..1.</summary>
internal static class ReportCsv
{
    public const string Header =
        "zone,start,hours,delivered,cancelled,failed,on_time,on_time_share,click_to_door_mean_s,click_to_door_p90_s,ready_to_pickup_mean_s," +
        "offers,offers_accepted,acceptance_rate,online_minutes,busy_minutes,utilisation,earnings_cents,earnings_per_online_hour_cents," +
        "earnings_per_hour_spread,couriers,cold_chain_delivered,cold_chain_excursions,eta_error_mean_s,eta_samples";

    public static string Write(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var s in report.Days.Concat(report.Hours)) Line(csv, s);
        return csv.ToString();
    }

    private static void Line(StringBuilder csv, ZoneStatistics s)
    {
        object?[] fields =
        [
            s.Zone, s.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), s.Hours, s.Delivered, s.Cancelled, s.Failed,
            s.OnTime, s.OnTimeShare, s.ClickToDoorMeanSeconds, s.ClickToDoorP90Seconds, s.ReadyToPickupMeanSeconds, s.Offers, s.OffersAccepted,
            s.AcceptanceRate, s.OnlineMinutes, s.BusyMinutes, s.Utilisation, s.EarningsCents, s.EarningsPerOnlineHourCents, s.EarningsPerHourSpread,
            s.Couriers, s.ColdChainDelivered, s.ColdChainExcursions, s.EtaErrorMeanSeconds, s.EtaSamples,
        ];
        csv.AppendJoin(',', fields.Select(Field)).Append('\n');
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        string text => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text,
        double d => Math.Round(d, 4).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
