using Dispatch.Core.Pricing;

namespace Dispatch.Server.Catalogue;

/// <summary>The demo's services, used when Catalogue:Services is not configured. Euro cents.</summary>
internal static class CatalogueDefaults
{
    public static List<ServiceOptions> Services() =>
    [
        Service("parcel", "Deliver a parcel", ServiceKind.Parcel, "Pick up a parcel, keys or documents and bring them to the drop-off.",
            ["parcel", "package", "keys", "documents", "deliver", "send"], baseCents: 400, minimum: 600),
        Service("buy-for-me", "Buy for me", ServiceKind.BuyForMe, "The courier buys your shopping list (up to your price cap) and brings it.",
            ["buy", "shopping", "pharmacy", "medicine", "groceries", "errand"], baseCents: 600, minimum: 900),
        Service("multi-stop", "Multi-stop errand", ServiceKind.MultiStop, "Several stops on the way: collect or leave things in the order you give.",
            ["stops", "errand", "multi", "route", "several"], baseCents: 500, minimum: 800),
        Service("frozen", "Frozen-goods delivery", ServiceKind.Frozen, "Frozen food in an insulated box, kept cold from pickup to door.",
            ["frozen", "cold", "ice", "chilled", "food"], baseCents: 500, minimum: 900, coldChain: 300),
    ];

    private static ServiceOptions Service(string id, string name, ServiceKind kind, string description, List<string> keywords, int baseCents, int minimum, int coldChain = 0) => new()
    {
        Id = id,
        Name = name,
        Kind = kind,
        Description = description,
        Keywords = keywords,
        BaseCents = baseCents,
        PerKmCents = 120,
        PerExtraStopCents = 150,
        ColdChainCents = coldChain,
        NightMultiplier = 1.3m,
        Night = "22:00-06:00",
        RushMultiplier = 1.2m,
        RushHours = ["07:30-09:30", "17:00-19:30"],
        MinimumCents = minimum,
    };
}
