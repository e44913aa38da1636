namespace Dispatch.Core.Notifications;

/// <summary>
/// A merchant's quiet night: messages about its frozen-goods orders whose pickup is scheduled for the morning are not sent
/// at night (hours in the zone's local time) but held until the night ends. Pure: the time zone and hours are parameters.
/// </summary>
/// <param name="StartHour">The night starts at this local hour, 0–23 (e.g. 21).</param>
/// <param name="EndHour">The night ends (held messages go out) at this local hour, 0–23 (e.g. 7); before StartHour it wraps past midnight.</param>
/// <param name="MorningEndHour">A pickup from EndHour until this local hour counts as a morning pickup (e.g. 12).</param>
public sealed record QuietNight(TimeZoneInfo Zone, int StartHour, int EndHour, int MorningEndHour)
{
    /// <summary>
    /// When a message raised at <paramref name="at"/> may go out: null for at once, else the end of the night. Only for a
    /// merchant that asked for it, a frozen-goods order, and a pickup (<paramref name="pickupAt"/>: when the goods are ready)
    /// scheduled in the morning.
    /// </summary>
    public DateTimeOffset? HoldUntil(DateTimeOffset at, bool merchantAsked, bool frozen, DateTimeOffset? pickupAt)
    {
        if (!merchantAsked || !frozen || pickupAt is not { } pickup) return null;
        var pickupHour = TimeZoneInfo.ConvertTime(pickup, Zone).Hour;
        if (pickupHour < EndHour || pickupHour >= MorningEndHour) return null;
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        if (!IsNight(local.Hour)) return null;
        var endDay = local.Hour >= EndHour ? local.Date.AddDays(1) : local.Date; // before midnight: the night ends tomorrow
        var end = endDay.AddHours(EndHour);
        return new DateTimeOffset(end, Zone.GetUtcOffset(end)).ToUniversalTime();
    }

    public bool IsNight(int localHour) => StartHour > EndHour
        ? localHour >= StartHour || localHour < EndHour
        : localHour >= StartHour && localHour < EndHour;
}
