using Dispatch.Core.Pricing;

namespace Dispatch.Server.Catalogue;

/// <summary>One service of the catalogue and its pricing rule, as configured (Catalogue:Services:n). Amounts in cents.</summary>
internal sealed class ServiceOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public ServiceKind Kind { get; set; }

    public string Description { get; set; } = "";

    public List<string> Keywords { get; set; } = [];

    /// <summary>Zones where it is offered; empty: every zone.</summary>
    public List<string> Zones { get; set; } = [];

    /// <summary>ISO 4217; empty: Dispatch:Currency.</summary>
    public string Currency { get; set; } = "";

    public int BaseCents { get; set; }

    public int PerKmCents { get; set; }

    public int PerExtraStopCents { get; set; }

    public int ColdChainCents { get; set; }

    public decimal NightMultiplier { get; set; } = 1m;

    /// <summary>"HH:mm-HH:mm" local time, may wrap midnight; empty: no night rate.</summary>
    public string Night { get; set; } = "";

    public decimal RushMultiplier { get; set; } = 1m;

    /// <summary>Windows "HH:mm-HH:mm" of local time.</summary>
    public List<string> RushHours { get; set; } = [];

    public int MinimumCents { get; set; }
}
