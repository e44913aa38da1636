using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// Notifications:QuietNight: the merchants whose frozen-goods orders with a morning pickup send nothing at night, and the
/// hours, local to Dispatch:EarningsTimeZone (the time zone the server keeps its days in).
/// </summary>
internal sealed class QuietNightOptions
{
    /// <summary>Merchant ids (the merchant token's subject) that asked for quiet nights.</summary>
    public List<string> Merchants { get; set; } = [];

    [Range(0, 23)]
    public int StartHour { get; set; } = 21;

    [Range(0, 23)]
    public int EndHour { get; set; } = 7;

    /// <summary>Pickups from EndHour until this hour are morning pickups.</summary>
    [Range(1, 24)]
    public int MorningEndHour { get; set; } = 12;
}
