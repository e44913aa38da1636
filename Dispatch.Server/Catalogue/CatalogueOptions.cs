using System.ComponentModel.DataAnnotations;
using Dispatch.Core.Couriers;

namespace Dispatch.Server.Catalogue;

/// <summary>The customers' service catalogue and how quotes are made, bound from "Catalogue".</summary>
internal sealed class CatalogueOptions
{
    public const string Section = "Catalogue";

    /// <summary>The local time night and rush hours are read in (IANA id).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Monaco";

    /// <summary>How long a quote may be ordered from, minutes.</summary>
    [Range(1, 120)]
    public int QuoteMinutes { get; set; } = 10;

    /// <summary>Straight-line distance × this when a zone has no road network.</summary>
    [Range(1.0, 3.0)]
    public double DetourFactor { get; set; } = 1.4;

    /// <summary>The vehicle a quote's road route and travel time are worked out for.</summary>
    public Vehicle Vehicle { get; set; } = Vehicle.Scooter;

    /// <summary>Minutes a quote's ETA adds for finding a courier and reaching the pickup.</summary>
    [Range(0, 240)]
    public int LeadMinutes { get; set; } = 12;

    /// <summary>Minutes a quote's ETA adds per stop between pickup and drop-off.</summary>
    [Range(0, 60)]
    public int MinutesPerStop { get; set; } = 3;

    /// <summary>The services; when none is configured, <see cref="CatalogueDefaults"/> (the demo's four).</summary>
    public List<ServiceOptions> Services { get; set; } = [];
}
